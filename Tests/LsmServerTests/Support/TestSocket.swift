import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import LsmTestSupport
import NIOCore
import NIOWebSocket

/// A real WebSocket client (hummingbird-websocket's) speaking to the server under test: what it
/// receives is buffered, and tests wait for the frames they expect.
final class TestSocket: @unchecked Sendable {
    private let inbox: Inbox
    private let outgoing: AsyncStream<Outgoing>.Continuation
    private let task: Task<WebSocketCloseFrame?, any Error>

    /// Connects to `url` with these headers (`Authorization`, `Origin`…).
    init(url: String, headers: [String: String]) {
        let (stream, continuation) = AsyncStream.makeStream(of: Outgoing.self)
        outgoing = continuation
        var fields = HTTPFields()
        for (name, value) in headers { if let name = HTTPField.Name(name) { fields[name] = value } }
        let configuration = WebSocketClientConfiguration(maxFrameSize: 4 << 20, additionalHeaders: fields, autoPing: .disabled)
        let box = UncheckedBox(stream)
        var logger = Logger(label: "test-socket")
        logger.logLevel = .critical
        let inbox = Inbox()
        self.inbox = inbox
        task = Task {
            defer { if inbox.ending == nil { inbox.ending = .success(nil) } }
            do {
                let frame = try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) {
                    inbound, outbound, _ in
                    let writer = Task {
                        for await item in box.value {
                            switch item {
                            case .text(let text): try? await outbound.write(.text(text))
                            case .frame(let frame): try? await outbound.write(.custom(frame))
                            case .close:
                                try? await outbound.close(.normalClosure, reason: nil)
                                return
                            }
                        }
                    }
                    for try await message in inbound.messages(maxSize: 4 << 20) {
                        if case .text(let text) = message { inbox.store(text) }
                    }
                    writer.cancel()
                }
                inbox.ending = .success(frame)
                return frame
            } catch {
                inbox.ending = .failure(error)
                throw error
            }
        }
    }

    func send(_ object: [String: Any]) {
        guard let data = try? JSONSerialization.data(withJSONObject: object) else { return }
        outgoing.yield(.text(String(decoding: data, as: UTF8.self)))
    }

    func sendRaw(_ text: String) {
        outgoing.yield(.text(text))
    }

    /// Sends a frame as built (any opcode, FIN or not, bytes that need not be UTF-8).
    func sendFrame(_ opcode: WebSocketOpcode, _ bytes: [UInt8], fin: Bool = true) {
        outgoing.yield(.frame(WebSocketFrame(fin: fin, opcode: opcode, data: ByteBuffer(bytes: bytes))))
    }

    /// Closes the socket normally.
    func close() {
        outgoing.yield(.close)
    }

    private enum Outgoing {
        case text(String)
        case frame(WebSocketFrame)
        case close
    }

    /// The next received frame (after those already taken) that passes `filter`; frames skipped on
    /// the way are consumed.
    func next(timeout: Duration = .seconds(10), where filter: ([String: Any]) -> Bool = { _ in true }) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let ended = hasEnded
            if let found = take(filter) { return found }
            // Nothing arrives after the end: say so now rather than at the deadline.
            if ended { throw TestFailure("the socket ended without a matching frame: \(String(describing: inbox.ending))") }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw TestFailure("no matching frame within \(timeout); received: \(snapshot().suffix(5))")
    }

    func next(type: String, timeout: Duration = .seconds(10)) async throws -> [String: Any] {
        try await next(timeout: timeout) { $0["type"] as? String == type }
    }

    /// Says hello and returns the welcome (the replayed events and `synced` stay queued).
    func hello(lastSeq: Int64? = nil, timeout: Duration = .seconds(10)) async throws -> [String: Any] {
        var message: [String: Any] = ["type": "hello", "v": 1]
        if let lastSeq { message["lastSeq"] = lastSeq }
        send(message)
        return try await next(type: "welcome", timeout: timeout)
    }

    /// Whether the connection is over (closed, refused or broken).
    var hasEnded: Bool { inbox.ending != nil }

    /// Every frame received so far.
    func snapshot() -> [[String: Any]] { inbox.snapshot() }

    /// The frames received since the last `next` or `takeAll`, now consumed.
    func takeAll() -> [[String: Any]] { inbox.takeAll() }

    private func take(_ filter: ([String: Any]) -> Bool) -> [String: Any]? { inbox.take(filter) }

    /// How the connection ended: the server's close frame, or the error that ended it.
    func ending(timeout: Duration = .seconds(10)) async throws -> Result<WebSocketCloseFrame?, any Error> {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let result = inbox.ending { return result }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw TestFailure("the socket stayed open")
    }

    /// The close code the server sent.
    func closeCode(timeout: Duration = .seconds(10)) async throws -> WebSocketErrorCode? {
        if case .success(let frame) = try await ending(timeout: timeout) { return frame?.closeCode }
        return nil
    }
}

private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// The frames a `TestSocket` received, in order, and how far tests have read.
private final class Inbox: @unchecked Sendable {
    private let lock = NSLock()
    private var received: [[String: Any]] = []
    private var position = 0
    private var end: Result<WebSocketCloseFrame?, any Error>?

    var ending: Result<WebSocketCloseFrame?, any Error>? {
        get {
            lock.lock()
            defer { lock.unlock() }
            return end
        }
        set {
            lock.lock()
            end = newValue
            lock.unlock()
        }
    }

    func store(_ text: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return }
        lock.lock()
        received.append(object)
        lock.unlock()
    }

    func snapshot() -> [[String: Any]] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    func takeAll() -> [[String: Any]] {
        lock.lock()
        defer { lock.unlock() }
        let frames = Array(received[position...])
        position = received.count
        return frames
    }

    func take(_ filter: ([String: Any]) -> Bool) -> [String: Any]? {
        lock.lock()
        defer { lock.unlock() }
        while position < received.count {
            let frame = received[position]
            position += 1
            if filter(frame) { return frame }
        }
        return nil
    }
}
