import Foundation
import LsmStore
import LsmTestSupport
import Testing

/// What every `RoomStore` promises, run against each implementation: `SQLiteRoomStoreTests` and
/// `PostgresRoomStoreTests` below call the same cases.
enum RoomStoreContract {
    static func event(_ room: String, _ clientID: String?, author: String = "m1") -> NewRoomEvent {
        NewRoomEvent(room: room, kind: "chat", author: author, clientID: clientID, payload: "{}", createdAt: Date(timeIntervalSince1970: 0))
    }

    static func eachRoomNumbersItsEventsFromOneAndARetryIsStoredOnce(_ store: any RoomStore) throws {
        #expect(try store.append(event("main", "a")).event.sequence == 1)
        #expect(try store.append(event("main", "b")).event.sequence == 2)
        #expect(try store.append(event("other", "a")).event.sequence == 1)
        let retry = try store.append(event("main", "a"))
        #expect(retry.duplicate && retry.event.sequence == 1)
        #expect(try store.append(event("main", "a", author: "m2")).event.sequence == 3)
        #expect(try store.append(event("main", nil)).event.sequence == 4)
        #expect(try store.lastSequence(in: "main") == 4)
        #expect(try store.lastSequence(in: "empty") == 0)
        #expect(try store.events(in: "main", after: 2, limit: 10).map(\.sequence) == [3, 4])
        #expect(try store.events(in: "main", before: 4, limit: 2).map(\.sequence) == [2, 3])
        #expect(try store.events(in: "main", before: nil, limit: 10).map(\.sequence) == [1, 2, 3, 4])
        #expect(try store.event(in: "main", author: "m2", clientID: "a")?.sequence == 3)
        #expect(try store.event(in: "main", author: "m3", clientID: "a") == nil)
    }

    static func anEventComesBackAsItWasWritten(_ store: any RoomStore) throws {
        let text = #"{"text":"<script>alert('x')</script> ünïcödé 🎉 \u0000"}"#
        let written = NewRoomEvent(
            room: "feature/é", kind: "chat", author: "m1", clientID: "c1", payload: text, createdAt: Date(timeIntervalSince1970: 1234.5))
        let stored = try store.append(written).event
        #expect(try store.events(in: "feature/é", after: 0, limit: 1) == [stored])
        #expect(stored.payload == text && stored.createdAt == written.createdAt && stored.kind == "chat" && stored.clientID == "c1")
    }

    static func anInviteIsRedeemedAtMostItsUsesAndNeverAfterItExpiresOrIsRevoked(_ store: any RoomStore) throws {
        let now = Date(timeIntervalSince1970: 1000)
        let hash = Data(repeating: 1, count: 32)
        try store.addInvite(
            InviteRecord(id: "01", hash: hash, room: "main", role: "commenter", createdAt: now, expiresAt: now + 60, maxUses: 2))
        #expect(try store.redeemInvite(hash: hash, at: now)?.uses == 1)
        #expect(try store.redeemInvite(hash: hash, at: now)?.uses == 2)
        #expect(try store.redeemInvite(hash: hash, at: now) == nil)
        let other = Data(repeating: 2, count: 32)
        try store.addInvite(
            InviteRecord(id: "02", hash: other, room: "main", role: "viewer", createdAt: now + 1, expiresAt: now + 60, maxUses: 5))
        #expect(try store.redeemInvite(hash: other, at: now + 61) == nil)
        #expect(try store.revokeInvites(ids: ["02", "03"], at: now) == 1)
        #expect(try store.revokeInvites(ids: ["02"], at: now) == 0)
        #expect(try store.redeemInvite(hash: other, at: now) == nil)
        #expect(try store.invites().map(\.id) == ["02", "01"])
        #expect(try store.invites().first?.revokedAt == now)
    }

    static func aRefreshTokenRotatesOnceAndARevokedMemberKeepsNone(_ store: any RoomStore) throws {
        let now = Date(timeIntervalSince1970: 1000)
        let first = Data(repeating: 3, count: 32)
        let second = Data(repeating: 4, count: 32)
        let member = MemberRecord(
            id: "u1", room: "main", name: "Ada", role: "commenter", inviteID: "01", refreshHash: first, createdAt: now)
        try store.addMember(member)
        #expect(try store.member(id: "u1") == member)
        #expect(try store.rotateRefreshToken(member: "u1", from: first, to: second))
        #expect(try !store.rotateRefreshToken(member: "u1", from: first, to: second))
        #expect(try store.member(refreshHash: second)?.id == "u1")
        #expect(try store.member(refreshHash: first) == nil)
        #expect(try store.revokeMembers(ids: ["u1"], at: now) == 1)
        #expect(try !store.rotateRefreshToken(member: "u1", from: second, to: first))
        #expect(try store.members().map(\.revokedAt) == [now])
    }

    /// Two stores on one database (two server nodes, or two processes on one SQLite file) appending
    /// to one room at once: every event gets its own number, with no gap.
    static func concurrentWritersNumberARoomWithoutGapsOrRepeats(_ first: any RoomStore, _ second: any RoomStore) throws {
        let stores = [first, second]
        let sequences = SequenceLog()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for index in 0..<25 {
                let store = stores[worker % 2]
                // Every fifth write is sent twice, as a client's retry after a lost acknowledgement.
                for _ in 0..<(index % 5 == 0 ? 2 : 1) {
                    if let appended = try? store.append(event("busy", "w\(worker)-\(index)")), !appended.duplicate {
                        sequences.add(appended.event.sequence)
                    }
                }
            }
        }
        #expect(sequences.all.sorted() == Array(1...200))
        #expect(try first.events(in: "busy", after: 0, limit: 1000).map(\.sequence) == Array(1...200))
    }

    final class SequenceLog: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Int64] = []
        func add(_ value: Int64) {
            lock.lock()
            values.append(value)
            lock.unlock()
        }
        var all: [Int64] {
            lock.lock()
            defer { lock.unlock() }
            return values
        }
    }
}

@Suite struct SQLiteRoomStoreTests {
    let folder: TemporaryDirectory
    let store: SQLiteRoomStore

    init() throws {
        folder = try TemporaryDirectory("lsm-rooms")
        store = try SQLiteRoomStore(path: folder.child("server.sqlite"))
    }

    @Test func eachRoomNumbersItsEventsFromOneAndARetryIsStoredOnce() throws {
        try RoomStoreContract.eachRoomNumbersItsEventsFromOneAndARetryIsStoredOnce(store)
    }

    @Test func anEventComesBackAsItWasWritten() throws {
        try RoomStoreContract.anEventComesBackAsItWasWritten(store)
    }

    @Test func anInviteIsRedeemedAtMostItsUsesAndNeverAfterItExpiresOrIsRevoked() throws {
        try RoomStoreContract.anInviteIsRedeemedAtMostItsUsesAndNeverAfterItExpiresOrIsRevoked(store)
    }

    @Test func aRefreshTokenRotatesOnceAndARevokedMemberKeepsNone() throws {
        try RoomStoreContract.aRefreshTokenRotatesOnceAndARevokedMemberKeepsNone(store)
    }

    @Test func concurrentWritersNumberARoomWithoutGapsOrRepeats() throws {
        try RoomStoreContract.concurrentWritersNumberARoomWithoutGapsOrRepeats(
            store, try SQLiteRoomStore(path: folder.child("server.sqlite")))
    }
}
