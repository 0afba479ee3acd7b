import Foundation
import LsmStore
import LsmTestSupport
import Testing

@Suite struct SQLiteRoomStoreTests {
    func store() throws -> (SQLiteRoomStore, TemporaryDirectory) {
        let folder = try TemporaryDirectory("lsm-rooms")
        return (try SQLiteRoomStore(path: folder.child("server.sqlite")), folder)
    }

    func event(_ room: String, _ clientID: String?, author: String = "m1") -> NewRoomEvent {
        NewRoomEvent(room: room, kind: "chat", author: author, clientID: clientID, payload: "{}", createdAt: Date(timeIntervalSince1970: 0))
    }

    @Test func eachRoomNumbersItsEventsFromOneAndARetryIsStoredOnce() throws {
        let (store, _folder) = try store()
        _ = _folder
        #expect(try store.append(event("main", "a")).event.sequence == 1)
        #expect(try store.append(event("main", "b")).event.sequence == 2)
        #expect(try store.append(event("other", "a")).event.sequence == 1)
        let retry = try store.append(event("main", "a"))
        #expect(retry.duplicate && retry.event.sequence == 1)
        #expect(try store.append(event("main", "a", author: "m2")).event.sequence == 3)
        #expect(try store.append(event("main", nil)).event.sequence == 4)
        #expect(try store.lastSequence(in: "main") == 4)
        #expect(try store.events(in: "main", after: 2, limit: 10).map(\.sequence) == [3, 4])
        #expect(try store.events(in: "main", before: 4, limit: 2).map(\.sequence) == [2, 3])
    }

    @Test func anInviteIsRedeemedAtMostItsUsesAndNeverAfterItExpiresOrIsRevoked() throws {
        let (store, _folder) = try store()
        _ = _folder
        let now = Date(timeIntervalSince1970: 1000)
        let hash = Data(repeating: 1, count: 32)
        try store.addInvite(
            InviteRecord(id: "01", hash: hash, room: "main", role: "commenter", createdAt: now, expiresAt: now + 60, maxUses: 2))
        #expect(try store.redeemInvite(hash: hash, at: now)?.uses == 1)
        #expect(try store.redeemInvite(hash: hash, at: now)?.uses == 2)
        #expect(try store.redeemInvite(hash: hash, at: now) == nil)
        let other = Data(repeating: 2, count: 32)
        try store.addInvite(
            InviteRecord(id: "02", hash: other, room: "main", role: "viewer", createdAt: now, expiresAt: now + 60, maxUses: 5))
        #expect(try store.redeemInvite(hash: other, at: now + 61) == nil)
        #expect(try store.revokeInvites(ids: ["02"], at: now) == 1)
        #expect(try store.redeemInvite(hash: other, at: now) == nil)
    }
}
