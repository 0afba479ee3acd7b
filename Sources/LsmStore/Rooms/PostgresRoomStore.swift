import Foundation
import PostgresNIO

/// The review server's rooms in PostgreSQL, for several `git lsm serve` nodes sharing one database.
///
/// An append locks the room's row in `lsm_room`, takes the next sequence number, inserts the event
/// and `NOTIFY lsm_room, '<room>:<seq>'` in one transaction; PostgreSQL delivers the notification
/// at commit, and every node `LISTEN`s (`observeAppends`) and fetches the new rows for its clients.
public final class PostgresRoomStore: RoomStore, @unchecked Sendable {
    /// The notification channel; its payload is `<room>:<sequence>` and nothing else.
    public static let channel = "lsm_room"
    let connections: PostgresConnections
    private let listenerLock = NSLock()
    private var listener: PostgresConnection?
    private var observers: [@Sendable (String?, Int64) -> Void] = []
    private var closed = false
    /// The URL without its password.
    public var path: String { connections.location.display }

    /// Connects to `url` (`postgres://user[:password]@host[:port]/database`) and brings the schema up
    /// to date.
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) {
        let location = try PostgresLocation(url: url, environment: environment)
        connections = PostgresConnections(location: location)
        do { try PostgresRoomSchema.migrate(connections) } catch {
            connections.close()
            throw StoreError(kind: .cannotOpen, path: location.display, reason: PostgresStoreFailure.reason(error))
        }
    }

    deinit { close() }

    /// Closes the connections (the store is unusable afterwards).
    public func close() {
        listenerLock.lock()
        closed = true
        let connection = listener
        listener = nil
        listenerLock.unlock()
        if let connection { try? connection.close().wait() }
        connections.close()
    }

    /// Listens on `lsm_room` on a connection of its own; reconnects (and tells `handler` that every
    /// room must catch up, with a nil room) when that connection drops.
    public func observeAppends(_ handler: @escaping @Sendable (_ room: String?, _ sequence: Int64) -> Void) throws(StoreError) {
        listenerLock.lock()
        observers.append(handler)
        let listening = listener != nil
        listenerLock.unlock()
        if !listening {
            do { try listen() } catch { throw StoreError(kind: .cannotOpen, path: path, reason: PostgresStoreFailure.reason(error)) }
        }
    }

    private func listen() throws {
        let connection = try connections.connect()
        connection.addListener(channel: Self.channel) { [weak self] _, notification in
            guard let self, let colon = notification.payload.lastIndex(of: ":"),
                let sequence = Int64(notification.payload[notification.payload.index(after: colon)...])
            else { return }
            self.notify(String(notification.payload[..<colon]), sequence)
        }
        _ = try connection.query("LISTEN lsm_room", logger: connections.logger).wait()
        listenerLock.lock()
        if closed {
            listenerLock.unlock()
            try? connection.close().wait()
            return
        }
        listener = connection
        listenerLock.unlock()
        connection.closeFuture.whenComplete { [weak self] _ in
            guard let self else { return }
            // Runs on the event loop: reconnect from another thread, since connecting waits.
            Thread.detachNewThread { [weak self] in self?.relisten() }
        }
    }

    private func relisten() {
        while true {
            listenerLock.lock()
            let stop = closed
            listener = nil
            listenerLock.unlock()
            if stop { return }
            if (try? listen()) != nil {
                notify(nil, 0)
                return
            }
            Thread.sleep(forTimeInterval: 0.5)
        }
    }

    private func notify(_ room: String?, _ sequence: Int64) {
        listenerLock.lock()
        let observers = self.observers
        listenerLock.unlock()
        for observer in observers { observer(room, sequence) }
    }

    public func append(_ event: NewRoomEvent) throws(StoreError) -> AppendedRoomEvent {
        if let clientID = event.clientID, let earlier = try self.event(in: event.room, author: event.author, clientID: clientID) {
            return AppendedRoomEvent(event: earlier, duplicate: true)
        }
        do {
            return try connections.transaction { connection in
                let sequence =
                    try connections.rows(
                        """
                        INSERT INTO lsm_room AS r (room, last_seq) VALUES (\(event.room), 1)
                        ON CONFLICT (room) DO UPDATE SET last_seq = r.last_seq + 1 RETURNING last_seq
                        """, on: connection
                    ).first?.decode(Int64.self) ?? 0
                // The room's row is locked now: a retry that raced past the check above is caught here.
                if let clientID = event.clientID,
                    let earlier = try connections.rows(
                        "\(unescaped: Self.eventColumns) WHERE room = \(event.room) AND author = \(event.author) AND client_id = \(clientID)",
                        on: connection
                    ).first
                {
                    throw DuplicateWrite(event: try Self.event(earlier))
                }
                let stored = RoomEvent(
                    room: event.room, sequence: sequence, kind: event.kind, author: event.author, clientID: event.clientID,
                    payload: event.payload, createdAt: event.createdAt)
                _ = try connections.rows(
                    """
                    INSERT INTO lsm_event (room, seq, kind, author, client_id, payload, created_at)
                    VALUES (\(stored.room), \(stored.sequence), \(stored.kind), \(stored.author), \(stored.clientID),
                        \(stored.payload), \(stored.createdAt.timeIntervalSince1970))
                    """, on: connection)
                let notice = "\(stored.room):\(stored.sequence)"
                _ = try connections.rows("SELECT pg_notify(\(Self.channel), \(notice))", on: connection)
                return AppendedRoomEvent(event: stored, duplicate: false)
            }
        } catch let duplicate as DuplicateWrite {
            return AppendedRoomEvent(event: duplicate.event, duplicate: true)
        } catch {
            throw failure(error)
        }
    }

    public func event(in room: String, author: String, clientID: String) throws(StoreError) -> RoomEvent? {
        try query("\(unescaped: Self.eventColumns) WHERE room = \(room) AND author = \(author) AND client_id = \(clientID)", Self.event)
            .first
    }

    public func events(in room: String, after sequence: Int64, limit: Int) throws(StoreError) -> [RoomEvent] {
        try query("\(unescaped: Self.eventColumns) WHERE room = \(room) AND seq > \(sequence) ORDER BY seq LIMIT \(limit)", Self.event)
    }

    public func events(in room: String, before sequence: Int64?, limit: Int) throws(StoreError) -> [RoomEvent] {
        try query(
            "\(unescaped: Self.eventColumns) WHERE room = \(room) AND seq < \(sequence ?? Int64.max) ORDER BY seq DESC LIMIT \(limit)",
            Self.event
        ).reversed()
    }

    public func lastSequence(in room: String) throws(StoreError) -> Int64 {
        try query("SELECT COALESCE(MAX(seq), 0)::BIGINT FROM lsm_event WHERE room = \(room)") { row in try row.decode(Int64.self) }
            .first ?? 0
    }

    public func addInvite(_ invite: InviteRecord) throws(StoreError) {
        _ = try query(
            """
            INSERT INTO lsm_invite (id, hash, room, role, created_at, expires_at, max_uses, uses, revoked_at)
            VALUES (\(invite.id), \(invite.hash), \(invite.room), \(invite.role), \(invite.createdAt.timeIntervalSince1970),
                \(invite.expiresAt.timeIntervalSince1970), \(invite.maxUses), \(invite.uses), \(invite.revokedAt?.timeIntervalSince1970))
            """
        ) { _ in () }
    }

    public func redeemInvite(hash: Data, at date: Date) throws(StoreError) -> InviteRecord? {
        // One statement decides, so two redemptions of the last use cannot both succeed.
        try query(
            """
            UPDATE lsm_invite SET uses = uses + 1
            WHERE hash = \(hash) AND revoked_at IS NULL AND expires_at > \(date.timeIntervalSince1970) AND uses < max_uses
            RETURNING \(unescaped: Self.inviteColumnList)
            """, Self.invite
        ).first
    }

    public func invites() throws(StoreError) -> [InviteRecord] {
        try query("SELECT \(unescaped: Self.inviteColumnList) FROM lsm_invite ORDER BY created_at DESC, id", Self.invite)
    }

    public func revokeInvites(ids: [String], at date: Date) throws(StoreError) -> Int {
        try query(
            "UPDATE lsm_invite SET revoked_at = \(date.timeIntervalSince1970) WHERE id = ANY(\(ids)) AND revoked_at IS NULL RETURNING id"
        ) { _ in () }.count
    }

    public func addMember(_ member: MemberRecord) throws(StoreError) {
        _ = try query(
            """
            INSERT INTO lsm_member (id, room, name, role, invite_id, refresh_hash, created_at, revoked_at)
            VALUES (\(member.id), \(member.room), \(member.name), \(member.role), \(member.inviteID), \(member.refreshHash),
                \(member.createdAt.timeIntervalSince1970), \(member.revokedAt?.timeIntervalSince1970))
            """
        ) { _ in () }
    }

    public func member(id: String) throws(StoreError) -> MemberRecord? {
        try query("\(unescaped: Self.memberColumns) WHERE id = \(id)", Self.member).first
    }

    public func rotateRefreshToken(member id: String, from old: Data, to new: Data) throws(StoreError) -> Bool {
        try query(
            "UPDATE lsm_member SET refresh_hash = \(new) WHERE id = \(id) AND refresh_hash = \(old) AND revoked_at IS NULL RETURNING id"
        ) { _ in () }.count == 1
    }

    public func member(refreshHash hash: Data) throws(StoreError) -> MemberRecord? {
        try query("\(unescaped: Self.memberColumns) WHERE refresh_hash = \(hash)", Self.member).first
    }

    public func members() throws(StoreError) -> [MemberRecord] {
        try query("\(unescaped: Self.memberColumns) ORDER BY created_at DESC, id", Self.member)
    }

    public func revokeMembers(ids: [String], at date: Date) throws(StoreError) -> Int {
        try query(
            "UPDATE lsm_member SET revoked_at = \(date.timeIntervalSince1970) WHERE id = ANY(\(ids)) AND revoked_at IS NULL RETURNING id"
        ) { _ in () }.count
    }

    // MARK: - Rows

    private static let eventColumns = "SELECT room, seq, kind, author, client_id, payload, created_at FROM lsm_event"
    private static let inviteColumnList = "id, hash, room, role, created_at, expires_at, max_uses, uses, revoked_at"
    private static let memberColumns =
        "SELECT id, room, name, role, invite_id, refresh_hash, created_at, revoked_at FROM lsm_member"

    private static func event(_ row: PostgresRow) throws -> RoomEvent {
        let (room, seq, kind, author, clientID, payload, createdAt) = try row.decode(
            (String, Int64, String, String, String?, String, Double).self)
        return RoomEvent(
            room: room, sequence: seq, kind: kind, author: author, clientID: clientID, payload: payload,
            createdAt: Date(timeIntervalSince1970: createdAt))
    }

    private static func invite(_ row: PostgresRow) throws -> InviteRecord {
        let (id, hash, room, role, createdAt, expiresAt, maxUses, uses, revokedAt) = try row.decode(
            (String, Data, String, String, Double, Double, Int, Int, Double?).self)
        return InviteRecord(
            id: id, hash: hash, room: room, role: role, createdAt: Date(timeIntervalSince1970: createdAt),
            expiresAt: Date(timeIntervalSince1970: expiresAt), maxUses: maxUses, uses: uses,
            revokedAt: revokedAt.map(Date.init(timeIntervalSince1970:)))
    }

    private static func member(_ row: PostgresRow) throws -> MemberRecord {
        let (id, room, name, role, inviteID, refreshHash, createdAt, revokedAt) = try row.decode(
            (String, String, String, String, String, Data, Double, Double?).self)
        return MemberRecord(
            id: id, room: room, name: name, role: role, inviteID: inviteID, refreshHash: refreshHash,
            createdAt: Date(timeIntervalSince1970: createdAt), revokedAt: revokedAt.map(Date.init(timeIntervalSince1970:)))
    }

    /// Runs one statement; `query` is built inside, since binding `Data` may throw.
    private func query<T>(_ query: @autoclosure () throws -> PostgresQuery, _ decode: (PostgresRow) throws -> T) throws(StoreError)
        -> [T]
    {
        do {
            let query = try query()
            return try connections.withConnection { connection in try connections.rows(query, on: connection).map(decode) }
        } catch {
            throw failure(error)
        }
    }

    func failure(_ error: any Error) -> StoreError {
        StoreError(kind: .queryFailed, path: path, reason: PostgresStoreFailure.reason(error))
    }

    /// Thrown inside `append`'s transaction to roll it back when the write turns out to be a retry.
    private struct DuplicateWrite: Error {
        let event: RoomEvent
    }
}
