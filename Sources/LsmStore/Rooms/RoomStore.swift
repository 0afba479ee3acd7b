import Foundation

/// Where the review server keeps its rooms: the events of each room in sequence order, the invites
/// and the members who redeemed them. Implemented by `SQLiteRoomStore` (the default, one file under
/// the repository's common dir) and `PostgresRoomStore` (one database for several server nodes).
///
/// Every method is synchronous and may block for a disk write; callers keep it off latency-critical
/// threads. Failures are `StoreError`s.
public protocol RoomStore: Sendable {
    /// Appends `event` as the room's next sequence number, in one transaction. When the author
    /// already wrote an event with the same client id, nothing is written and that event is returned
    /// with `duplicate` set: a retried write is applied once.
    func append(_ event: NewRoomEvent) throws(StoreError) -> AppendedRoomEvent
    /// The event the author wrote with this client id, if any.
    func event(in room: String, author: String, clientID: String) throws(StoreError) -> RoomEvent?
    /// The room's events after `sequence`, oldest first, at most `limit`.
    func events(in room: String, after sequence: Int64, limit: Int) throws(StoreError) -> [RoomEvent]
    /// The room's newest events before `sequence` (all when nil), oldest first, at most `limit`.
    func events(in room: String, before sequence: Int64?, limit: Int) throws(StoreError) -> [RoomEvent]
    /// The room's highest sequence number, 0 when it has none.
    func lastSequence(in room: String) throws(StoreError) -> Int64

    /// Stores a new invite (only its hash).
    func addInvite(_ invite: InviteRecord) throws(StoreError)
    /// Uses the invite whose token hashes to `hash` once, atomically: nil when there is none, or it
    /// expired, was revoked or has no uses left.
    func redeemInvite(hash: Data, at date: Date) throws(StoreError) -> InviteRecord?
    /// Every invite, newest first.
    func invites() throws(StoreError) -> [InviteRecord]
    /// Marks invites revoked; returns how many changed.
    @discardableResult func revokeInvites(ids: [String], at date: Date) throws(StoreError) -> Int

    /// Stores a member (someone who redeemed an invite).
    func addMember(_ member: MemberRecord) throws(StoreError)
    /// The member with this id.
    func member(id: String) throws(StoreError) -> MemberRecord?
    /// Replaces a member's refresh token hash when it still is `old` (compare-and-swap); false when
    /// the token was already rotated or the member revoked.
    func rotateRefreshToken(member id: String, from old: Data, to new: Data) throws(StoreError) -> Bool
    /// The member whose refresh token hashes to `hash`.
    func member(refreshHash hash: Data) throws(StoreError) -> MemberRecord?
    /// Every member, newest first.
    func members() throws(StoreError) -> [MemberRecord]
    /// Marks members revoked; returns how many changed.
    @discardableResult func revokeMembers(ids: [String], at date: Date) throws(StoreError) -> Int

    /// Calls `handler` whenever any server appends to a room: with the room and its new sequence
    /// number, or with a nil room when notifications may have been missed (every room catches up).
    /// A store that one server owns alone never calls it: that server broadcasts its own appends.
    func observeAppends(_ handler: @escaping @Sendable (_ room: String?, _ sequence: Int64) -> Void) throws(StoreError)
}

extension RoomStore {
    public func observeAppends(_ handler: @escaping @Sendable (_ room: String?, _ sequence: Int64) -> Void) throws(StoreError) {}
}

/// The room stores a server can be given, named by one string.
public enum RoomStores {
    /// Opens the store `database` names: a `postgres://` (or `postgresql://`) URL, else the path of
    /// an SQLite file.
    public static func open(_ database: String) throws(StoreError) -> any RoomStore {
        if isPostgres(database) { return try PostgresRoomStore(url: database) }
        return try SQLiteRoomStore(path: database)
    }

    /// Whether `database` names a PostgreSQL database rather than an SQLite file.
    public static func isPostgres(_ database: String) -> Bool {
        database.hasPrefix("postgres://") || database.hasPrefix("postgresql://")
    }
}

/// A persisted room event: a chat message, a comment operation, a join or leave, a shared session's
/// update. `payload` is the event's JSON object as the server wrote it.
public struct RoomEvent: Sendable, Equatable {
    public var room: String
    public var sequence: Int64
    public var kind: String
    /// The member id of the author (`sub`).
    public var author: String
    /// The client's id for the write, which makes retries idempotent.
    public var clientID: String?
    public var payload: String
    public var createdAt: Date

    public init(room: String, sequence: Int64, kind: String, author: String, clientID: String?, payload: String, createdAt: Date) {
        self.room = room
        self.sequence = sequence
        self.kind = kind
        self.author = author
        self.clientID = clientID
        self.payload = payload
        self.createdAt = createdAt
    }
}

/// An event to append; the store gives it its sequence number.
public struct NewRoomEvent: Sendable, Equatable {
    public var room: String
    public var kind: String
    public var author: String
    public var clientID: String?
    public var payload: String
    public var createdAt: Date

    public init(room: String, kind: String, author: String, clientID: String?, payload: String, createdAt: Date) {
        self.room = room
        self.kind = kind
        self.author = author
        self.clientID = clientID
        self.payload = payload
        self.createdAt = createdAt
    }
}

/// What `RoomStore.append` did.
public struct AppendedRoomEvent: Sendable, Equatable {
    public var event: RoomEvent
    /// True when the author's client id was already used: `event` is the earlier one.
    public var duplicate: Bool

    public init(event: RoomEvent, duplicate: Bool) {
        self.event = event
        self.duplicate = duplicate
    }
}

/// An invite to a room. The token itself is never stored, only its SHA-256.
public struct InviteRecord: Sendable, Equatable {
    /// A short public id (the first hex digits of the hash), for listing and revoking.
    public var id: String
    public var hash: Data
    public var room: String
    public var role: String
    public var createdAt: Date
    public var expiresAt: Date
    public var maxUses: Int
    public var uses: Int
    public var revokedAt: Date?

    public init(
        id: String, hash: Data, room: String, role: String, createdAt: Date, expiresAt: Date, maxUses: Int, uses: Int = 0,
        revokedAt: Date? = nil
    ) {
        self.id = id
        self.hash = hash
        self.room = room
        self.role = role
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.maxUses = maxUses
        self.uses = uses
        self.revokedAt = revokedAt
    }
}

/// Someone who redeemed an invite: the `sub` of their access tokens.
public struct MemberRecord: Sendable, Equatable {
    public var id: String
    public var room: String
    public var name: String
    public var role: String
    public var inviteID: String
    public var refreshHash: Data
    public var createdAt: Date
    public var revokedAt: Date?

    public init(
        id: String, room: String, name: String, role: String, inviteID: String, refreshHash: Data, createdAt: Date,
        revokedAt: Date? = nil
    ) {
        self.id = id
        self.room = room
        self.name = name
        self.role = role
        self.inviteID = inviteID
        self.refreshHash = refreshHash
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}
