import Foundation
import LsmCore
import LsmServer
import LsmTestSupport
import Testing

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
        for index in 0..<Self.clients { tokens.append(try require2(try await server.join("client \(index)")["accessToken"] as? String)) }

        // Given 20 members, each sending 500 messages and dropping its connection at random,
        let started = ContinuousClock.now
        let outcomes = try await withThrowingTaskGroup(of: ResumingClient.self) { group in
            for (index, token) in tokens.enumerated() {
                group.addTask {
                    var client = ResumingClient(
                        index: index, server: server, token: token, random: SeededRandom(seed: seed &+ UInt64(index)))
                    try await client.sendAll(Self.messagesPerClient)
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
        let last = try require2(try await server.allEvents(token: tokens[0]).last?.seq)
        for index in caughtUp.indices { try await caughtUp[index].read(sockets[index], until: last) }
        let took = started.duration(to: .now)

        // Then the room holds each message once, and every client has exactly the room's events.
        let room = try await server.allEvents(token: tokens[0])
        for socket in sockets { socket.close() }
        let chats = room.filter { $0.kind == "chat" }
        #expect(chats.count == Self.clients * Self.messagesPerClient, "seed \(seed)")
        let expected = Set((0..<Self.clients).flatMap { client in (0..<Self.messagesPerClient).map { "c\(client)-m\($0)" } })
        #expect(Set(chats.map(\.text)) == expected, "seed \(seed)")
        #expect(room.map(\.seq) == Array(1...Int64(room.count)), "seed \(seed): the room's sequence numbers have gaps")
        for client in caughtUp.sorted(by: { $0.index < $1.index }) {
            let description = "client \(client.index) (seed \(seed)) has \(client.events.count) of \(room.count) events"
            #expect(client.problems.isEmpty, "\(description): \(client.problems.prefix(5))")
            // Compared as booleans: a failure names the client, not ten thousand numbers.
            #expect(client.events.map(\.seq) == room.map(\.seq), "\(description); sequence numbers differ")
            #expect(client.events == room, "\(description); contents differ")
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

/// One persisted event as a client saw it.
struct SeenEvent: Equatable {
    let seq: Int64
    let kind: String
    let text: String
}

/// One member of the reliability test: sends its messages with client ids `c<index>-m<n>`, drops its
/// connection after a random number of them (sometimes with messages still unacknowledged), and
/// resumes with the last sequence number it has, resending what was not acknowledged under the same
/// ids. It records every event it receives and any protocol breach it notices. (Unchecked: its
/// generator is a plain value, and each client is used by one task at a time.)
struct ResumingClient: @unchecked Sendable {
    let index: Int
    let server: RunningServer
    let token: String
    var random: SeededRandom
    private(set) var events: [SeenEvent] = []
    private(set) var problems: [String] = []
    private(set) var connections = 0
    private(set) var retried = 0
    private(set) var pagedOverHTTP = 0
    private var lastSeq: Int64 = 0
    private var sent = 0
    /// Client ids sent and not yet acknowledged, in the order they were first sent.
    private var unacknowledged: [String] = []
    static let window = 50

    init(index: Int, server: RunningServer, token: String, random: SeededRandom) {
        self.index = index
        self.server = server
        self.token = token
        self.random = random
    }

    mutating func sendAll(_ total: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(240)
        while sent < total || !unacknowledged.isEmpty {
            guard ContinuousClock.now < deadline else { throw TestFailure("client \(index) still sending after 4 minutes") }
            let socket = try await resume()
            // Resend what the last connection did not see acknowledged, under the same ids.
            for id in unacknowledged {
                socket.send(["type": "chat", "clientId": id, "text": id])
                retried += 1
            }
            let budget = Int.random(in: 1...120, using: &random)
            var sentHere = 0
            while sentHere < budget && (sent < total || !unacknowledged.isEmpty) {
                while sentHere < budget && sent < total && unacknowledged.count < Self.window {
                    let id = "c\(index)-m\(sent)"
                    socket.send(["type": "chat", "clientId": id, "text": id])
                    unacknowledged.append(id)
                    sent += 1
                    sentHere += 1
                }
                if try await read(socket) == 0 { try await Task.sleep(for: .milliseconds(2)) }
                if sent == total && sentHere < budget && unacknowledged.isEmpty { break }
            }
            // Half the time leave at once, acknowledgements still on the way; else wait for a few.
            if Bool.random(using: &random) {
                for _ in 0..<Int.random(in: 0...20, using: &random) {
                    if try await read(socket) == 0 { try await Task.sleep(for: .milliseconds(1)) }
                }
            }
            socket.close()
            _ = try await socket.ending(timeout: .seconds(30))
        }
    }

    /// Reads live events until the one numbered `last` arrived.
    mutating func read(_ socket: TestSocket, until last: Int64) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while lastSeq < last {
            guard ContinuousClock.now < deadline else { throw TestFailure("client \(index): stuck at \(lastSeq) of \(last)") }
            if try await read(socket) == 0 { try await Task.sleep(for: .milliseconds(2)) }
        }
    }

    /// Connects, says hello with the last sequence number, and takes in the replay up to `synced`
    /// (paging over HTTP first when the replay was truncated).
    mutating func resume() async throws -> TestSocket {
        let socket = TestSocket(url: server.webSocketURL, headers: ["Authorization": "Bearer \(token)"])
        connections += 1
        let welcome = try await socket.hello(lastSeq: lastSeq, timeout: .seconds(30))
        var replay: [[String: Any]] = []
        let deadline = ContinuousClock.now + .seconds(30)
        readReplay: while true {
            guard ContinuousClock.now < deadline else { throw TestFailure("client \(index): no synced within 30 s") }
            let frames = socket.takeAll()
            if frames.isEmpty { try await Task.sleep(for: .milliseconds(2)) }
            for (position, frame) in frames.enumerated() {
                switch frame["type"] as? String {
                case "synced":
                    if welcome["truncated"] as? Bool == true {
                        pagedOverHTTP += 1
                        let first = (replay.first?["seq"] as? Int).map(Int64.init) ?? Int64.max
                        for event in try await server.events(after: lastSeq, before: first, token: token) { take(event) }
                    }
                    for event in replay { take(event) }
                    if welcome["replay"] as? Int != replay.count {
                        problems.append("welcome announced \(String(describing: welcome["replay"])), got \(replay.count)")
                    }
                    // What came after `synced` is live: handle it now.
                    try handleLive(Array(frames[(position + 1)...]))
                    break readReplay
                case "event": replay.append(frame)
                case "ack", "error": problems.append("before synced: \(frame)")
                default: break
                }
            }
        }
        return socket
    }

    /// Handles the frames received so far; returns how many there were.
    private mutating func read(_ socket: TestSocket) async throws -> Int {
        let frames = socket.takeAll()
        try handleLive(frames)
        return frames.count
    }

    private mutating func handleLive(_ frames: [[String: Any]]) throws {
        for frame in frames {
            switch frame["type"] as? String {
            case "event": take(frame)
            case "ack":
                guard let id = frame["clientId"] as? String, let position = unacknowledged.firstIndex(of: id) else {
                    // An ack for a message acknowledged before: only a retry may be acknowledged twice.
                    if frame["duplicate"] as? Bool != true { problems.append("unexpected ack \(frame)") }
                    continue
                }
                unacknowledged.remove(at: position)
            case "error": problems.append("error \(frame)")
            default: break
            }
        }
    }

    /// Records a persisted event; it must be the one after the last.
    private mutating func take(_ frame: [String: Any]) {
        guard let seq = (frame["seq"] as? Int).map(Int64.init) else { return problems.append("event without seq: \(frame)") }
        if seq != lastSeq + 1 { problems.append(seq <= lastSeq ? "event \(seq) again (had \(lastSeq))" : "gap: \(lastSeq) then \(seq)") }
        guard seq > lastSeq else { return }
        lastSeq = seq
        let text = (frame["data"] as? [String: Any])?["text"] as? String ?? ""
        events.append(SeenEvent(seq: seq, kind: frame["kind"] as? String ?? "", text: text))
    }
}

extension RunningServer {
    /// Events after `after` and before `before`, paged through `GET /api/history`.
    func events(after: Int64, before: Int64 = .max, token: String) async throws -> [[String: Any]] {
        var events: [[String: Any]] = []
        var cursor = after
        while cursor + 1 < before {
            let (status, data) = try await get(
                "/api/history?room=main&after=\(cursor)&limit=500", headers: ["Authorization": "Bearer \(token)"])
            guard status == 200 else { throw TestFailure("history: \(status)") }
            let page = try require2((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["events"] as? [[String: Any]])
            let wanted = page.filter { (($0["seq"] as? Int).map(Int64.init) ?? 0) < before }
            events += wanted
            guard page.count == 500, wanted.count == page.count, let last = (page.last?["seq"] as? Int).map(Int64.init) else { break }
            cursor = last
        }
        return events
    }

    /// Every event of the room `main`, in order.
    func allEvents(token: String) async throws -> [SeenEvent] {
        try await events(after: 0, token: token).map { frame in
            SeenEvent(
                seq: (frame["seq"] as? Int).map(Int64.init) ?? 0, kind: frame["kind"] as? String ?? "",
                text: (frame["data"] as? [String: Any])?["text"] as? String ?? "")
        }
    }
}
