import Foundation
import LsmCore
import NIOCore
import NIOPosix

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The load generator of the room benchmark (`lsm bench-room load`, scripts/bench/room_bench.py):
/// N WebSocket clients in one room, one sender per ten. Each chat text is `bench <sender> <sent at>`
/// (monotonic nanoseconds, one clock for every process on the machine), so a receiver measures the
/// broadcast latency by reading its own frame. The clients are `BenchClient`s: bare SwiftNIO, many
/// per event loop, no JSON parsing and no locks on the receive path; each keeps its own samples,
/// merged at the end.
///
/// Two loads: a fixed rate in (`rate`), and saturation (`window`): each sender keeps `window`
/// messages in flight and sends the next when its own comes back (for lsm at most 9 a second, under
/// its per-connection limit of 10), so a server that falls behind slows the senders instead of
/// queueing without end. Only messages sent within the measured window count; deliveries per second are
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
        /// Event loops (threads) for the clients.
        public var threads = System.coreCount

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
        guard let components = URLComponents(string: options.url), let host = components.host, let port = components.port else {
            throw LsmError(.user, "--url must be http://host:port")
        }
        let target = BenchClient.Target(host: host, port: port, path: "/ws?room=" + options.room, dialect: options.dialect)
        let tokens = try await joinTokens()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: options.threads)
        let clients = (0..<options.clients).map { index in
            BenchClient(
                index: index, isSender: index % 10 == 0, target: target, token: tokens.isEmpty ? nil : tokens[index / 10 % tokens.count])
        }
        let baseline = options.serverPID.flatMap(Self.residentBytes)
        let connectStart = ContinuousClock.now
        var channels: [any Channel] = []
        for client in clients {
            let channel = try await ClientBootstrap(group: group)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(client) }
                }
                .connect(host: host, port: port).get()
            channels.append(channel)
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
        let start = DispatchTime.now().uptimeNanoseconds + 1_000_000_000
        let end = start + UInt64(options.seconds * 1e9)
        // lsm's rate limit caps a sender; the other servers have none, so at saturation their
        // senders are held back only by their window.
        let cap = options.dialect == .lsm ? Self.maxPerSenderRate : nil
        let perSender = options.rate.map { rate in min(rate / Double(senders.count), cap ?? .infinity) } ?? cap
        for (client, channel) in zip(clients, channels) {
            let pace =
                client.isSender
                ? BenchClient.Pace(
                    window: (start, end), perSecond: perSender, inFlight: options.rate == nil ? options.window : nil,
                    offset: Double(client.index / 10) / Double(senders.count))
                : nil
            client.start(window: (start, end), pace: pace, on: channel.eventLoop)
        }
        let now = DispatchTime.now().uptimeNanoseconds
        if now < end { try await Task.sleep(nanoseconds: end - now) }
        // Let the last messages arrive.
        let sentCount = senders.reduce(0) { $0 + $1.sentInWindow.load(ordering: .relaxed) }
        let expected = sentCount * options.clients
        let drainDeadline = ContinuousClock.now + .seconds(options.rate == nil ? 3 : 5)
        while ContinuousClock.now < drainDeadline && clients.reduce(0, { $0 + $1.received.load(ordering: .relaxed) }) < expected {
            try await Task.sleep(for: .milliseconds(100))
        }
        for (client, channel) in zip(clients, channels) { client.close(on: channel.eventLoop) }
        for channel in channels { try? await channel.closeFuture.get() }
        try? await group.shutdownGracefully()

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
            idleBytesPerConnection: idle, closedEarly: clients.filter { $0.closedEarly.load(ordering: .relaxed) }.count)
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

extension BenchClient {
    var ready: Bool { isReady.load(ordering: .acquiring) }
}
