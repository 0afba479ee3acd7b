import Foundation
import LsmStore
import LsmTestSupport
import Testing

/// The room store contract against a real PostgreSQL (started by `TestPostgres`), plus what only
/// a shared database does: schema versions, notifications to other nodes.
@Suite(.enabled(if: TestPostgres.isInstalled, Comment(rawValue: TestPostgres.notInstalled)))
struct PostgresRoomStoreTests {
    let url: String
    let store: PostgresRoomStore

    init() throws {
        url = try TestPostgres.shared().newDatabase()
        store = try PostgresRoomStore(url: url)
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
        try RoomStoreContract.concurrentWritersNumberARoomWithoutGapsOrRepeats(store, try PostgresRoomStore(url: url))
    }

    @Test func reopeningKeepsTheDataAndTheSchemaIsCreatedOnce() throws {
        _ = try store.append(RoomStoreContract.event("main", "a"))
        let again = try PostgresRoomStore(url: url)
        #expect(try again.lastSequence(in: "main") == 1)
        #expect(try again.append(RoomStoreContract.event("main", "b")).event.sequence == 2)
    }

    @Test func anotherNodeHearsOfEachAppendWithItsRoomAndSequence() async throws {
        // Given a second node listening on the same database
        let other = try PostgresRoomStore(url: url)
        let (notices, continuation) = AsyncStream.makeStream(of: String.self)
        try other.observeAppends { room, sequence in continuation.yield("\(room ?? "*"):\(sequence)") }
        // When this node appends to two rooms
        _ = try store.append(RoomStoreContract.event("main", "a"))
        _ = try store.append(RoomStoreContract.event("feature:x", "a"))
        _ = try store.append(RoomStoreContract.event("main", "a"))  // a retry: nothing new, no notice
        _ = try store.append(RoomStoreContract.event("main", "b"))
        // Then it hears of each new event, in commit order
        var heard: [String] = []
        for await notice in notices {
            heard.append(notice)
            if heard.count == 3 { break }
        }
        #expect(heard == ["main:1", "feature:x:1", "main:2"])
    }

    @Test func aBadURLOrAnUnreachableServerIsAClearError() throws {
        #expect(throws: StoreError.self) { try PostgresRoomStore(url: "postgres://") }
        let error = #expect(throws: StoreError.self) { try PostgresRoomStore(url: "postgres://nobody:secret@127.0.0.1:1/none") }
        #expect(error?.kind == .cannotOpen)
        #expect(error?.path == "postgres://nobody@127.0.0.1:1/none")
    }
}
