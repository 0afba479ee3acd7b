import Foundation
import LsmCore
import LsmTestSupport

/// One persisted event as a client saw it.
struct SeenEvent: Equatable {
    let seq: Int64
    let kind: String
    let text: String
}

/// A member that sends its messages with client ids `c<index>-m<n>` and, when its connection ends
/// (it dropped it after a random number of sends, sometimes with messages still unacknowledged, or
/// the server died), resumes with the last sequence number it has, resending what was not
/// acknowledged under the same ids. A node it cannot reach, or that dropped it, is left for the next
/// in `nodes` (several server nodes on one PostgreSQL). It records every event it receives and any
/// protocol breach it notices. (Unchecked: its generator is a plain value, and each client is used
/// by one task at a time.)
struct ResumingClient: @unchecked Sendable {
    let index: Int
    /// The ports of the server nodes it may use, the current one first.
    private(set) var nodes: [Int]
    let token: String
    var random: SeededRandom
    private(set) var events: [SeenEvent] = []
    private(set) var problems: [String] = []
    private(set) var connections = 0
    private(set) var retried = 0
    private(set) var pagedOverHTTP = 0
    /// Connections the server ended, after which the client moved to the next node.
    private(set) var failovers = 0
    private(set) var lastSeq: Int64 = 0
    private var sent = 0
    /// Client ids sent and not yet acknowledged, in the order they were first sent.
    private var unacknowledged: [String] = []
    static let window = 50

    private var url: String { "ws://127.0.0.1:\(nodes[0])/ws?room=main" }

    init(index: Int, nodes: [Int], token: String, random: SeededRandom) {
        self.index = index
        self.nodes = nodes
        self.token = token
        self.random = random
    }

    /// Sends `total` messages, with a pause of `pause` after each, until every one is acknowledged.
    mutating func sendAll(_ total: Int, disconnectingAtRandom: Bool, pause: Duration = .zero) async throws {
        let deadline = ContinuousClock.now + .seconds(240)
        while sent < total || !unacknowledged.isEmpty {
            guard ContinuousClock.now < deadline else { throw TestFailure("client \(index) still sending after 4 minutes") }
            let socket = try await resume()
            // Resend what the last connection did not see acknowledged, under the same ids.
            for id in unacknowledged {
                socket.send(["type": "chat", "clientId": id, "text": id])
                retried += 1
            }
            let budget = disconnectingAtRandom ? Int.random(in: 1...120, using: &random) : Int.max
            var sentHere = 0
            while sentHere < budget && (sent < total || !unacknowledged.isEmpty) {
                if socket.hasEnded {
                    _ = try await read(socket)
                    failovers += 1
                    nodes.append(nodes.removeFirst())
                    break
                }
                while sentHere < budget && sent < total && unacknowledged.count < Self.window {
                    let id = "c\(index)-m\(sent)"
                    socket.send(["type": "chat", "clientId": id, "text": id])
                    unacknowledged.append(id)
                    sent += 1
                    sentHere += 1
                    if pause > .zero { try await Task.sleep(for: pause) }
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
        var socket = TestSocket(url: url, headers: ["Authorization": "Bearer \(token)"])
        var welcome: [String: Any]
        var attempts = 0
        while true {
            do {
                welcome = try await socket.hello(lastSeq: lastSeq, timeout: .seconds(30))
                break
            } catch  where socket.hasEnded && attempts < 20 {
                // Refused or dropped before the welcome: that node is gone; try the next.
                attempts += 1
                nodes.append(nodes.removeFirst())
                try await Task.sleep(for: .milliseconds(50))
                socket = TestSocket(url: url, headers: ["Authorization": "Bearer \(token)"])
            }
        }
        connections += 1
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
                        for event in try await RoomHistory.events(port: nodes[0], after: lastSeq, before: first, token: token) {
                            take(event)
                        }
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
