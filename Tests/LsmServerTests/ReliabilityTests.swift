import Foundation
import LsmCore
import LsmServer
import LsmTestSupport
import Testing

extension LoadSensitiveServerTests {
    /// Clients that come and go lose nothing: 20 members send 10,000 chat messages between them while
    /// each drops its connection at random points and resumes with the last sequence number it has.
    @Suite struct ReliabilityTests {
        static let clients = 20
        static let messagesPerClient = 500

        @Test func tenThousandMessagesFromTwentyClientsThatDisconnectAndResumeArriveExactlyOnceInOrder() async throws {
            // The default rate limit (10 messages per second per connection) would make this a minute of
            // waiting; the test server allows 2,000 per second, and the clients keep at most 50 in flight.
            var limits = ServerLimits()
            limits.burstMessages = 500
            limits.messagesPerSecond = 2_000
            let server = try await RunningServer(limits: limits)
            let seed = UInt64.random(in: 0...UInt64.max)
            var tokens: [String] = []
            for index in 0..<Self.clients {
                tokens.append(try require2(try await server.join("client \(index)")["accessToken"] as? String))
            }

            // Given 20 members, each sending 500 messages and dropping its connection at random,
            let started = ContinuousClock.now
            let outcomes = try await withThrowingTaskGroup(of: ResumingClient.self) { group in
                for (index, token) in tokens.enumerated() {
                    group.addTask {
                        var client = ResumingClient(
                            index: index, nodes: [server.port], token: token, random: SeededRandom(seed: seed &+ UInt64(index)))
                        try await client.sendAll(Self.messagesPerClient, disconnectingAtRandom: true)
                        return client
                    }
                }
                var finished: [ResumingClient] = []
                for try await client in group { finished.append(client) }
                return finished
            }
            // …when every message is acknowledged, all resume once more and stay until they have the
            // room's last event (their joins are the last events).
            var sockets: [TestSocket] = []
            var caughtUp: [ResumingClient] = []
            for var client in outcomes {
                sockets.append(try await client.resume())
                caughtUp.append(client)
            }
            let last = try require2(try await RoomHistory.all(port: server.port, token: tokens[0]).last?.seq)
            for index in caughtUp.indices { try await caughtUp[index].read(sockets[index], until: last) }
            let took = started.duration(to: .now)

            // Then the room holds each message once, and every client has exactly the room's events.
            let room = try await RoomHistory.all(port: server.port, token: tokens[0])
            for socket in sockets { socket.close() }
            let chats = room.filter { $0.kind == "chat" }
            #expect(chats.count == Self.clients * Self.messagesPerClient, "seed \(seed)")
            let expected = Set((0..<Self.clients).flatMap { client in (0..<Self.messagesPerClient).map { "c\(client)-m\($0)" } })
            #expect(Set(chats.map(\.text)) == expected, "seed \(seed)")
            #expect(room.map(\.seq) == Array(1...Int64(room.count)), "seed \(seed): the room's sequence numbers have gaps")
            for client in caughtUp.sorted(by: { $0.index < $1.index }) {
                let description = "client \(client.index) (seed \(seed)) has \(client.events.count) of \(room.count) events"
                #expect(client.problems.isEmpty, "\(description): \(client.problems.prefix(5))")
                // A leave of a connection closed just before the catch-up may land after `last`: each
                // client has the room's events exactly, in order, up to `last` at least. (A boolean, so
                // that a failure names the client rather than printing ten thousand events.)
                let exact = client.events.count >= Int(last) && client.events == Array(room.prefix(client.events.count))
                #expect(exact, "\(description) (last \(last)), not the room's first ones")
            }
            let connections = caughtUp.map(\.connections).reduce(0, +)
            let retried = caughtUp.map(\.retried).reduce(0, +)
            let pagedTruncations = caughtUp.map(\.pagedOverHTTP).reduce(0, +)
            #expect(connections >= Self.clients * 5, "too few reconnections to test resuming: \(connections)")
            #expect(retried > 0, "no message was retried after a disconnect (seed \(seed))")
            print(
                "reliability: \(chats.count) messages, \(room.count) events, \(connections) connections, \(retried) retries, "
                    + "\(pagedTruncations) truncated replays paged over HTTP, in \(took) (seed \(seed))")
            await server.stop()
        }
    }
}
