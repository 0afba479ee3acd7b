import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import LsmCore
import NIOWebSocket

/// The use case behind `git lsm share`: publishes one local session into a branch's room as
/// `session` events and keeps it current — the transcript watcher (`LiveCatalog`) says when the
/// session's files changed — until `stop` is set or the session ends. Each update is sent only when
/// something a viewer sees changed; the last one says `ended: true`.
public struct SessionSharer: Sendable {
    public struct Options: Sendable {
        public var session: String
        public var room: String
        /// The display name the share joins the room with ("shared by …").
        public var name: String
        public var transcript: Bool
        /// How often the session is looked at.
        public var interval: Duration

        public init(session: String, room: String, name: String, transcript: Bool, interval: Duration = .seconds(1)) {
            self.session = session
            self.room = room
            self.name = name
            self.transcript = transcript
            self.interval = interval
        }
    }

    /// What a share did.
    public struct Report: Sendable, Encodable {
        public var session: String
        public var agent: String
        public var room: String
        public var url: String
        public var member: String
        /// Updates sent, and how many the server acknowledged (stored and broadcast).
        public var updates: Int
        public var acknowledged: Int
        /// `session-ended` when the session stopped running, `stopped` when sharing was stopped.
        public var reason: String
    }

    /// A flag another thread (a signal handler) sets to end the share.
    public final class StopFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var stopped = false

        public init() {}

        public func stop() {
            lock.lock()
            stopped = true
            lock.unlock()
        }

        public var isStopped: Bool {
            lock.lock()
            defer { lock.unlock() }
            return stopped
        }
    }

    /// A ping this often keeps the server's 120-second idle timeout away between updates.
    static let pingInterval: Duration = .seconds(30)

    public let workspace: Workspace
    public let paths: ServerPaths
    public let serverURL: String
    public let repositoryRoot: String?

    public init(workspace: Workspace, paths: ServerPaths, serverURL: String, repositoryRoot: String?) {
        self.workspace = workspace
        self.paths = paths
        self.serverURL = serverURL
        self.repositoryRoot = repositoryRoot
    }

    /// Shares the session until `stop` is set or it ends; `onUpdate` sees each update sent.
    public func run(_ options: Options, stop: StopFlag, onUpdate: @escaping @Sendable (SharedSession) -> Void = { _ in })
        async throws(LsmError) -> Report
    {
        let live = try LiveCatalog(workspace: workspace)
        // Resolve the session first: a typo fails before anything is minted.
        let first = try live.catalog().session(matching: options.session).0
        let credential = try await RoomCredential.mint(paths: paths, serverURL: serverURL, room: options.room, name: options.name)
        let state = ShareState()
        var fields = HTTPFields()
        fields[.authorization] = "Bearer \(credential.accessToken)"
        let configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20, additionalHeaders: fields)
        var logger = Logger(label: "lsm.share")
        logger.logLevel = .critical
        let socketURL =
            serverURL.replacingOccurrences(of: "http", with: "ws", options: .anchored) + "/ws?room=" + Self.escaped(options.room)
        let publish = Publisher(
            live: live, options: options, repositoryRoot: repositoryRoot, state: state, stop: stop, onUpdate: onUpdate)
        do {
            try await WebSocketClient.connect(url: socketURL, configuration: configuration, logger: logger) { inbound, outbound, _ in
                let reader = Task {
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        if case .text(let text) = message { state.received(text) }
                    }
                    state.closed = true
                }
                defer { reader.cancel() }
                try await publish.run(outbound)
                try? await outbound.close(.normalClosure, reason: "sharing ended")
            }
        } catch let error as LsmError {
            throw error
        } catch {
            throw LsmError(.user, "the connection to the review server failed", hint: "git lsm serve --status", cause: "\(error)")
        }
        if let failure = state.failure { throw LsmError(.user, "the review server refused the update: \(failure)") }
        return Report(
            session: first.id, agent: first.agent, room: options.room, url: serverURL, member: credential.member, updates: state.sent,
            acknowledged: state.acknowledged, reason: state.sessionEnded ? "session-ended" : "stopped")
    }

    static func escaped(_ room: String) -> String {
        room.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#"))) ?? room
    }
}

/// The loop on an open socket: hello, then an update whenever the session changed.
private struct Publisher: Sendable {
    let live: LiveCatalog
    let options: SessionSharer.Options
    let repositoryRoot: String?
    let state: ShareState
    let stop: SessionSharer.StopFlag
    let onUpdate: @Sendable (SharedSession) -> Void

    func run(_ outbound: WebSocketOutboundWriter) async throws {
        try await outbound.write(.text(#"{"type":"hello","v":1}"#))
        try await state.wait(for: "welcome", timeout: .seconds(10))
        var lastFingerprint = ""
        var lastPing = ContinuousClock.now
        var wasLive = false
        while true {
            let stopping = stop.isStopped || state.failure != nil || state.closed
            var shared = try snapshot()
            let ended = !shared.live && (wasLive || lastFingerprint.isEmpty)
            wasLive = wasLive || shared.live
            if stopping || ended {
                shared.ended = true
                if ended { state.sessionEnded = true }
            }
            if shared.fingerprint != lastFingerprint || shared.ended {
                lastFingerprint = shared.fingerprint
                try await send(shared, outbound)
                lastPing = .now
            } else if lastPing.duration(to: .now) >= SessionSharer.pingInterval {
                try await outbound.write(.text(#"{"type":"ping"}"#))
                lastPing = .now
            }
            if shared.ended { break }
            let deadline = ContinuousClock.now + options.interval
            while ContinuousClock.now < deadline && !stop.isStopped && !state.closed {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        // Every update acknowledged (stored and broadcast) before the socket closes.
        try? await state.waitForAcks(timeout: .seconds(5))
    }

    private func snapshot() throws -> SharedSession {
        let (summary, detail) = try live.catalog().session(matching: options.session)
        return SharedSession(
            summary: summary, detail: detail, room: options.room, repositoryRoot: repositoryRoot, transcript: options.transcript)
    }

    private func send(_ shared: SharedSession, _ outbound: WebSocketOutboundWriter) async throws {
        let clientID = "share-\(state.sent + 1)"
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let session = String(decoding: try encoder.encode(shared), as: UTF8.self)
        try await outbound.write(.text(#"{"type":"session","clientId":"\#(clientID)","session":\#(session)}"#))
        state.didSend()
        onUpdate(shared)
    }
}

/// What the socket said back: the welcome, acknowledgements, errors, the close.
private final class ShareState: @unchecked Sendable {
    private let lock = NSLock()
    private var types = Set<String>()
    private var acks = 0
    private var sends = 0
    private var error: String?
    private var ended = false
    private var isClosed = false

    func received(_ text: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let type = object["type"] as? String
        else { return }
        lock.lock()
        defer { lock.unlock() }
        types.insert(type)
        if type == "ack" { acks += 1 }
        if type == "error", let code = object["code"] as? String, code != "rate_limited" {
            error = "\(code): \(object["message"] as? String ?? "")"
        }
    }

    func didSend() { locked { sends += 1 } }
    var sent: Int { locked { sends } }
    var acknowledged: Int { locked { acks } }
    var failure: String? { locked { error } }
    var closed: Bool {
        get { locked { isClosed } }
        set { locked { isClosed = newValue } }
    }
    var sessionEnded: Bool {
        get { locked { ended } }
        set { locked { ended = newValue } }
    }

    func wait(for type: String, timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while !locked({ types.contains(type) }) {
            if let error = failure { throw LsmError(.user, "the review server refused lsm: \(error)") }
            guard ContinuousClock.now < deadline else { throw LsmError(.user, "the review server did not answer hello") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func waitForAcks(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while acknowledged < sent && failure == nil && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
