import Foundation
import GRDB

/// The review server's rooms in one SQLite file (WAL), by default `<common dir>/lsm/server.sqlite`.
///
/// A committed event survives a killed server: WAL with `synchronous = NORMAL` is durable across
/// application crashes (only a power loss can drop the newest commits).
///
/// The WAL is checkpointed in the background, on a connection of its own, twice a second: a commit
/// never runs the checkpoint (and its fsyncs, tens of milliseconds on some disks) itself, which would
/// hold up every broadcast of the room behind it.
public final class SQLiteRoomStore: RoomStore {
    let pool: DatabasePool
    /// The database file.
    public let path: String
    /// Touched only by `init` and `deinit`.
    nonisolated(unsafe) private let checkpoints: any DispatchSourceTimer

    /// Opens (creating when needed) the store at `path`.
    public init(path: String) throws(StoreError) {
        self.path = path
        do {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            SQLiteSetup.prepare()
            var configuration = Configuration()
            configuration.busyMode = .timeout(IndexDatabase.busyTimeout)
            configuration.label = "lsm-rooms"
            configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0") }
            pool = try DatabasePool(path: path, configuration: configuration)
            try RoomMigrations.migrator.migrate(pool)
            var checkpointing = Configuration()
            checkpointing.busyMode = .timeout(IndexDatabase.busyTimeout)
            checkpointing.label = "lsm-rooms-checkpoint"
            checkpointing.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            let checkpointer = try DatabaseQueue(path: path, configuration: checkpointing)
            checkpoints = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "lsm-rooms-checkpoint", qos: .utility))
            checkpoints.setEventHandler { _ = try? checkpointer.writeWithoutTransaction { try $0.checkpoint(.passive) } }
            checkpoints.schedule(deadline: .now() + .milliseconds(500), repeating: .milliseconds(500))
            checkpoints.resume()
        } catch {
            throw StoreError(kind: .cannotOpen, path: path, reason: IndexDatabase.reason(error))
        }
    }

    deinit { checkpoints.cancel() }

    public func append(_ event: NewRoomEvent) throws(StoreError) -> AppendedRoomEvent {
        try write { db in
            if let clientID = event.clientID,
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM event WHERE room = ? AND author = ? AND clientId = ?",
                    arguments: [event.room, event.author, clientID])
            {
                return AppendedRoomEvent(event: Self.event(row), duplicate: true)
            }
            let last = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM event WHERE room = ?", arguments: [event.room]) ?? 0
            let stored = RoomEvent(
                room: event.room, sequence: last + 1, kind: event.kind, author: event.author, clientID: event.clientID,
                payload: event.payload, createdAt: event.createdAt)
            try db.execute(
                sql: "INSERT INTO event (room, seq, kind, author, clientId, payload, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    stored.room, stored.sequence, stored.kind, stored.author, stored.clientID, stored.payload,
                    stored.createdAt.timeIntervalSince1970,
                ])
            return AppendedRoomEvent(event: stored, duplicate: false)
        }
    }

    public func event(in room: String, author: String, clientID: String) throws(StoreError) -> RoomEvent? {
        try read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM event WHERE room = ? AND author = ? AND clientId = ?", arguments: [room, author, clientID]
            ).map(Self.event)
        }
    }

    public func events(in room: String, after sequence: Int64, limit: Int) throws(StoreError) -> [RoomEvent] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM event WHERE room = ? AND seq > ? ORDER BY seq LIMIT ?", arguments: [room, sequence, limit]
            ).map(Self.event)
        }
    }

    public func events(in room: String, before sequence: Int64?, limit: Int) throws(StoreError) -> [RoomEvent] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM event WHERE room = ? AND seq < ? ORDER BY seq DESC LIMIT ?",
                arguments: [room, sequence ?? Int64.max, limit]
            ).map(Self.event).reversed()
        }
    }

    public func lastSequence(in room: String) throws(StoreError) -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM event WHERE room = ?", arguments: [room]) ?? 0 }
    }

    public func addInvite(_ invite: InviteRecord) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO invite (id, hash, room, role, createdAt, expiresAt, maxUses, uses, revokedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    invite.id, invite.hash, invite.room, invite.role, invite.createdAt.timeIntervalSince1970,
                    invite.expiresAt.timeIntervalSince1970, invite.maxUses, invite.uses, invite.revokedAt?.timeIntervalSince1970,
                ])
        }
    }

    public func redeemInvite(hash: Data, at date: Date) throws(StoreError) -> InviteRecord? {
        try write { db in
            // One statement decides, so two redemptions of the last use cannot both succeed.
            try db.execute(
                sql: "UPDATE invite SET uses = uses + 1 WHERE hash = ? AND revokedAt IS NULL AND expiresAt > ? AND uses < maxUses",
                arguments: [hash, date.timeIntervalSince1970])
            guard db.changesCount == 1 else { return nil }
            return try Row.fetchOne(db, sql: "SELECT * FROM invite WHERE hash = ?", arguments: [hash]).map(Self.invite)
        }
    }

    public func invites() throws(StoreError) -> [InviteRecord] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM invite ORDER BY createdAt DESC, id").map(Self.invite) }
    }

    public func revokeInvites(ids: [String], at date: Date) throws(StoreError) -> Int {
        try write { db in
            var changed = 0
            for id in ids {
                try db.execute(
                    sql: "UPDATE invite SET revokedAt = ? WHERE id = ? AND revokedAt IS NULL", arguments: [date.timeIntervalSince1970, id])
                changed += db.changesCount
            }
            return changed
        }
    }

    public func addMember(_ member: MemberRecord) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO member (id, room, name, role, inviteId, refreshHash, createdAt, revokedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    member.id, member.room, member.name, member.role, member.inviteID, member.refreshHash,
                    member.createdAt.timeIntervalSince1970, member.revokedAt?.timeIntervalSince1970,
                ])
        }
    }

    public func member(id: String) throws(StoreError) -> MemberRecord? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM member WHERE id = ?", arguments: [id]).map(Self.member) }
    }

    public func rotateRefreshToken(member id: String, from old: Data, to new: Data) throws(StoreError) -> Bool {
        try write { db in
            try db.execute(
                sql: "UPDATE member SET refreshHash = ? WHERE id = ? AND refreshHash = ? AND revokedAt IS NULL", arguments: [new, id, old])
            return db.changesCount == 1
        }
    }

    public func member(refreshHash hash: Data) throws(StoreError) -> MemberRecord? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM member WHERE refreshHash = ?", arguments: [hash]).map(Self.member) }
    }

    public func members() throws(StoreError) -> [MemberRecord] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM member ORDER BY createdAt DESC, id").map(Self.member) }
    }

    public func revokeMembers(ids: [String], at date: Date) throws(StoreError) -> Int {
        try write { db in
            var changed = 0
            for id in ids {
                try db.execute(
                    sql: "UPDATE member SET revokedAt = ? WHERE id = ? AND revokedAt IS NULL", arguments: [date.timeIntervalSince1970, id])
                changed += db.changesCount
            }
            return changed
        }
    }

    // MARK: - Rows

    private static func event(_ row: Row) -> RoomEvent {
        RoomEvent(
            room: row["room"], sequence: row["seq"], kind: row["kind"], author: row["author"], clientID: row["clientId"],
            payload: row["payload"], createdAt: Date(timeIntervalSince1970: row["createdAt"]))
    }

    private static func invite(_ row: Row) -> InviteRecord {
        InviteRecord(
            id: row["id"], hash: row["hash"], room: row["room"], role: row["role"],
            createdAt: Date(timeIntervalSince1970: row["createdAt"]),
            expiresAt: Date(timeIntervalSince1970: row["expiresAt"]), maxUses: row["maxUses"], uses: row["uses"],
            revokedAt: (row["revokedAt"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }

    private static func member(_ row: Row) -> MemberRecord {
        MemberRecord(
            id: row["id"], room: row["room"], name: row["name"], role: row["role"], inviteID: row["inviteId"],
            refreshHash: row["refreshHash"], createdAt: Date(timeIntervalSince1970: row["createdAt"]),
            revokedAt: (row["revokedAt"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }

    private func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.read(body) } catch { throw StoreError(kind: .queryFailed, path: path, reason: IndexDatabase.reason(error)) }
    }

    private func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.write(body) } catch { throw StoreError(kind: .queryFailed, path: path, reason: IndexDatabase.reason(error)) }
    }
}
