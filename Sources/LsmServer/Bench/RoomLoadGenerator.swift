import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import LsmCore
import NIOCore
import NIOWebSocket

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The load generator of the room benchmark (`lsm bench-room load`, scripts/bench/room_bench.py):
/// N WebSocket clients in one room, one sender per ten. Each chat text is `bench <sender> <sent at>`
/// (monotonic nanoseconds, one clock for every process on the machine), so a receiver measures the
/// broadcast latency by reading its own frame — no JSON parsing, no locks on the receive path: each
/// client keeps its own samples, merged at the end.
///
/// Two loads: a fixed rate in (`rate`), and saturation (`window`): each sender keeps `window`
/// messages in flight and sends the next when its own comes back, at most 9 a second (under lsm's
/// per-connection limit of 10), so a server that falls behind slows the senders instead of queueing
/// without end. Only messages sent within the measured window count; deliveries per second are
/// those messages' deliveries over the window.
public struct RoomLoadGenerator: Sendable {
    public enum Dialect: String, Sendable {
        /// lsm's protocol: join with an invite, hello, chat messages with client ids.
        case lsm
        /// Any frame is a message (the trivial server, the FastAPI baseline): no join, no hello.
        case plain
    }

    public struct Options: Sendable {
        public var url: String
        public var room = "main"
        public var dialect: Dialect
        public var invite: String?
        public var clients: Int
        /// Messages per second in, over all senders; `nil` for saturation.
        public var rate: Double?
        public var window = 2
        public var seconds: Double
        public var serverPID: Int32?

        public init(url: String, dialect: Dialect, invite: String?, clients: Int, rate: Double?, seconds: Double, serverPID: Int32?) {
            self.url = url
            self.dialect = dialect
            self.invite = invite
            self.clients = clients
            self.rate = rate
            self.seconds = seconds
            self.serverPID = serverPID
        }
    }

    public struct Result: Sendable, Encodable {
        public var clients: Int
        public var senders: Int
        public var mode: String
        public var seconds: Double
        public var connectSeconds: Double
        public var sent: Int
        public var expected: Int
        public var received: Int
        public var messagesInPerSecond: Double
        public var deliveriesPerSecond: Double
        public var p50Ms: Double?
        public var p95Ms: Double?
        public var p99Ms: Double?
        public var maxMs: Double?
        /// The server's resident memory growth per connection once all are open and greeted.
        public var idleBytesPerConnection: Double?
        public var closedEarly: Int
    }

    static let maxPerSenderRate = 9.0

    public let options: Options

    public init(options: Options) { self.options = options }

    public func run() async throws -> Result {
        let clients = (0..<options.clients).map { Client(index: $0, isSender: $0 % 10 == 0) }
        let tokens = try await joinTokens()
        let baseline = options.serverPID.flatMap(Self.residentBytes)
        let connectStart = ContinuousClock.now
        let url = options.url.replacingOccurrences(of: "http", with: "ws", options: .anchored) + "/ws?room=" + options.room
        var tasks: [Task<Void, Never>] = []
        for client in clients {
            let token = tokens.isEmpty ? nil : tokens[client.index / 10 % tokens.count]
            tasks.append(Task { await client.connect(url: url, token: token, dialect: options.dialect) })
            if client.index % 50 == 49 { try await waitUntil(.seconds(30)) { clients.prefix(client.index + 1).allSatisfy(\.ready) } }
        }
        try await waitUntil(.seconds(60)) { clients.allSatisfy(\.ready) }
        let connectSeconds = Self.seconds(connectStart.duration(to: .now))
        try await Task.sleep(for: .seconds(2))
        var idle: Double?
        if let baseline, let pid = options.serverPID, let loaded = Self.residentBytes(pid) {
            idle = Double(loaded - baseline) / Double(options.clients)
        }

        // The measured window, in the clock the senders stamp their messages with.
        let senders = clients.filter(\.isSender)
        let warmup: UInt64 = 1_000_000_000
        let start = DispatchTime.now().uptimeNanoseconds + warmup
        let end = start + UInt64(options.seconds * 1e9)
        for client in clients { client.window = (start, end) }
        let perSender = options.rate.map { $0 / Double(senders.count) } ?? Self.maxPerSenderRate
        let sending = senders.enumerated().map { offset, sender in
            Task {
                await sender.send(
                    until: end, perSecond: min(perSender, Self.maxPerSenderRate), window: options.rate == nil ? options.window : nil,
                    offset: Double(offset) / Double(senders.count), dialect: options.dialect)
            }
        }
        for task in sending { await task.value }
        // Let the last messages arrive.
        let sentCount = senders.reduce(0) { $0 + $1.sentInWindow }
        let expected = sentCount * options.clients
        let drainDeadline = ContinuousClock.now + .seconds(options.rate == nil ? 3 : 5)
        while ContinuousClock.now < drainDeadline && clients.reduce(0, { $0 + $1.receivedInWindow }) < expected {
            try await Task.sleep(for: .milliseconds(100))
        }
        for client in clients { client.close() }
        for task in tasks { await task.value }

        var samples = clients.flatMap(\.latencies)
        samples.sort()
        func percentile(_ p: Double) -> Double? {
            samples.isEmpty ? nil : Double(samples[min(samples.count - 1, Int(Double(samples.count) * p))]) / 1000
        }
        return Result(
            clients: options.clients, senders: senders.count, mode: options.rate.map { "rate \($0)/s" } ?? "saturation",
            seconds: options.seconds, connectSeconds: connectSeconds, sent: sentCount, expected: expected, received: samples.count,
            messagesInPerSecond: Double(sentCount) / options.seconds, deliveriesPerSecond: Double(samples.count) / options.seconds,
            p50Ms: percentile(0.5), p95Ms: percentile(0.95), p99Ms: percentile(0.99), maxMs: samples.last.map { Double($0) / 1000 },
            idleBytesPerConnection: idle, closedEarly: clients.filter(\.closedEarly).count)
    }

    /// One access token per ten clients (lsm allows 16 connections per member).
    private func joinTokens() async throws -> [String] {
        guard options.dialect == .lsm else { return [] }
        guard let invite = options.invite else { throw LsmError(.user, "--invite is needed for the lsm dialect") }
        var tokens: [String] = []
        for group in 0..<((options.clients + 9) / 10) {
            var request = URLRequest(url: URL(fileURLWithPath: "/"))
            guard let url = URL(string: options.url + "/api/join") else { throw LsmError(.user, "bad --url") }
            request = URLRequest(url: url)
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(#"{"invite":"\#(invite)","name":"bench\#(group)"}"#.utf8)
            let (data, _) = try await URLSession.shared.data(for: request)
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any], let token = object["accessToken"] as? String
            else { throw LsmError(.user, "joining failed: \(String(decoding: data, as: UTF8.self))") }
            tokens.append(token)
        }
        return tokens
    }

    private func waitUntil(_ limit: Duration, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + limit
        while !condition() {
            guard ContinuousClock.now < deadline else { throw LsmError(.user, "clients did not connect within \(limit)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    static func residentBytes(_ pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return nil }
        return line.split(separator: " ").compactMap { Int($0) }.first.map { $0 * 1024 }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// One simulated client. Its receive path touches only its own fields; the generator reads them
/// after the run (and, for progress, racily — counts only).
private final class Client: @unchecked Sendable {
    let index: Int
    let isSender: Bool
    private let lock = NSLock()
    private var writer: WebSocketOutboundWriter?
    private var ownBack: AsyncStream<Void>.Continuation?
    private var isReady = false
    private var isClosed = false
    var window: (start: UInt64, end: UInt64) = (.max, .max)
    var latencies: [UInt32] = []
    var sentInWindow = 0
    var closedEarly = false
    private var closing = false

    init(index: Int, isSender: Bool) {
        self.index = index
        self.isSender = isSender
        latencies.reserveCapacity(isSender ? 1 << 16 : 1 << 14)
    }

    var ready: Bool { lock.withLock { isReady || isClosed } }
    var receivedInWindow: Int { lock.withLock { latencies.count } }

    func connect(url: String, token: String?, dialect: RoomLoadGenerator.Dialect) async {
        var fields = HTTPFields()
        if let token { fields[.authorization] = "Bearer \(token)" }
        let configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20, additionalHeaders: fields, autoPing: .disabled)
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        let marker = Array("bench ".utf8)
        let synced = Array(#""type":"synced""#.utf8)
        do {
            try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, outbound, _ in
                self.lock.withLock { self.writer = outbound }
                if dialect == .lsm {
                    try await outbound.write(.text(#"{"type":"hello","v":1}"#))
                } else {
                    self.lock.withLock { self.isReady = true }
                }
                var pinged = ContinuousClock.now
                for try await frame in inbound {
                    guard frame.opcode == .text || frame.opcode == .continuation else { continue }
                    let now = DispatchTime.now().uptimeNanoseconds
                    let parsed = frame.data.withUnsafeReadableBytes { Self.parse($0, marker: marker) }
                    guard let (sender, sentAt) = parsed else {
                        if dialect == .lsm && !self.ready, frame.data.withUnsafeReadableBytes({ Self.contains($0, synced) }) {
                            self.lock.withLock { self.isReady = true }
                        }
                        continue
                    }
                    let window = self.window
                    if sentAt >= window.start && sentAt < window.end {
                        let micros = UInt32(clamping: (now &- sentAt) / 1000)
                        self.lock.withLock { self.latencies.append(micros) }
                    }
                    if sender == self.index { self.lock.withLock { self.ownBack }?.yield() }
                    // lsm closes sockets silent for 120 s; receivers ping now and then.
                    if dialect == .lsm && pinged.duration(to: .now) > .seconds(50) {
                        pinged = .now
                        try await outbound.write(.text(#"{"type":"ping"}"#))
                    }
                }
            }
        } catch {}
        lock.withLock {
            isClosed = true
            if !closing { closedEarly = true }
        }
    }

    static func contains(_ bytes: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        guard bytes.count >= needle.count else { return false }
        return (0...(bytes.count - needle.count)).contains { start in needle.indices.allSatisfy { bytes[start + $0] == needle[$0] } }
    }

    /// `bench <sender> <nanoseconds>` anywhere in the frame.
    static func parse(_ bytes: UnsafeRawBufferPointer, marker: [UInt8]) -> (Int, UInt64)? {
        let count = bytes.count
        guard count > marker.count else { return nil }
        var i = 0
        outer: while i <= count - marker.count {
            for j in 0..<marker.count where bytes[i + j] != marker[j] {
                i += 1
                continue outer
            }
            var position = i + marker.count
            var sender = 0
            while position < count, bytes[position] >= 48, bytes[position] <= 57 {
                sender = sender * 10 + Int(bytes[position] - 48)
                position += 1
            }
            position += 1
            var sentAt: UInt64 = 0
            while position < count, bytes[position] >= 48, bytes[position] <= 57 {
                sentAt = sentAt * 10 + UInt64(bytes[position] - 48)
                position += 1
            }
            return (sender, sentAt)
        }
        return nil
    }

    func send(until end: UInt64, perSecond: Double, window: Int?, offset: Double, dialect: RoomLoadGenerator.Dialect) async {
        guard let writer = lock.withLock({ self.writer }) else { return }
        let (backs, continuation) = AsyncStream.makeStream(of: Void.self)
        lock.withLock { ownBack = continuation }
        // A message that never comes back must not hold the sender past the end.
        let watchdog = Task {
            let now = DispatchTime.now().uptimeNanoseconds
            if now < end { try? await Task.sleep(nanoseconds: end - now) }
            continuation.finish()
        }
        defer { watchdog.cancel() }
        var iterator = backs.makeAsyncIterator()
        let interval = UInt64(1e9 / perSecond)
        var next = DispatchTime.now().uptimeNanoseconds + UInt64(offset * Double(interval))
        var inFlight = 0
        var number = 0
        let start = self.window.start
        while true {
            var now = DispatchTime.now().uptimeNanoseconds
            if now >= end { break }
            if now < next {
                try? await Task.sleep(nanoseconds: next - now)
                now = DispatchTime.now().uptimeNanoseconds
                if now >= end { break }
            }
            if let window {
                while inFlight >= window {
                    guard await iterator.next() != nil else { return }
                    inFlight -= 1
                }
                now = DispatchTime.now().uptimeNanoseconds
                if now >= end { break }
            }
            number += 1
            let text = #"{"type":"chat","clientId":"b\#(index)-\#(number)","text":"bench \#(index) \#(now)"}"#
            do { try await writer.write(.text(text)) } catch { return }
            if now >= start { sentInWindow += 1 }
            inFlight += 1
            next = max(next + interval, now)
        }
    }

    func close() {
        let writer = lock.withLock { () -> WebSocketOutboundWriter? in
            closing = true
            ownBack?.finish()
            return self.writer
        }
        guard let writer else { return }
        Task { try? await writer.close(.normalClosure, reason: nil) }
    }
}
