import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import LsmCore
import LsmStore
import NIOCore

/// The review server of one repository: HTTP routes for joining and history, and one WebSocket per
/// client into its branch's room. `buildApplication` puts it together; tests run the same
/// application on port 0.
public final class ReviewServer: Sendable {
    public let configuration: ServerConfiguration
    let store: any RoomStore
    let tokens: AccessTokens
    let registry: RoomRegistry
    let origins: ServerOrigins
    let logger: Logger
    let notices: AsyncStream<AppendNotice>

    /// Opens the room store and loads the signing key (`secretFile` or `LSM_JWT_SECRET`).
    public init(
        configuration: ServerConfiguration, repositoryPath: String, secretFile: String, environment: [String: String],
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "lsm.serve")
    ) async throws(LsmError) {
        do { try configuration.validate() } catch { throw LsmError(.user, error.message, hint: error.hint) }
        self.configuration = configuration
        let secret: SymmetricKey
        do { secret = try ServerSecret.load(file: secretFile, environment: environment) } catch {
            throw LsmError(.user, error.message, hint: error.hint)
        }
        do { store = try RoomStores.open(configuration.database) } catch {
            throw LsmError(.user, "cannot open the room store \(error.path)", cause: error.reason)
        }
        tokens = await AccessTokens(secret: secret, lifetime: configuration.limits.accessTokenLifetime, now: now)
        origins = ServerOrigins(host: configuration.host, tls: configuration.usesTLS, allowlist: configuration.allowedOrigins)
        self.logger = logger
        let context = RoomContext(
            store: store, limits: configuration.limits, repositoryPath: repositoryPath, environment: environment, now: now,
            logger: logger)
        registry = RoomRegistry(context: context)
        // Events other nodes append (PostgreSQL) reach this node's rooms through `run`.
        let (notices, continuation) = AsyncStream.makeStream(of: AppendNotice.self)
        do { try context.store.observeAppends { room, sequence in continuation.yield(AppendNotice(room: room, sequence: sequence)) } } catch
        {
            throw LsmError(.user, "cannot listen to the room store \(error.path)", cause: error.reason)
        }
        self.notices = notices
    }

    /// How long a closing socket waits for the client's close frame.
    static let closeTimeout = Duration.seconds(10)

    /// A room another node appended to, and its new sequence number (nil: maybe any room).
    struct AppendNotice: Sendable {
        let room: String?
        let sequence: Int64
    }

    /// The invites and members of this server's store.
    public var invites: InviteDesk { InviteDesk(store: store) }

    /// Serves until cancelled (or, with `handleSignals`, until SIGTERM or SIGINT). `onRunning`
    /// receives the bound port once clients can connect.
    public func run(handleSignals: Bool, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = try buildApplication(onRunning: onRunning)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await self.registry.run() }
            group.addTask {
                for await notice in self.notices { await self.registry.appended(to: notice.room, sequence: notice.sequence) }
            }
            group.addTask {
                if handleSignals { try await app.runService() } else { try await app.run() }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// `conformanceEcho`: every message back as it came (text or binary), read with the room's limit;
    /// a reading error is thrown, so the socket closes with its code as a room's does.
    private static func echo(_ inbound: WebSocketInboundStream, _ outbound: WebSocketOutboundWriter, maxSize: Int) async throws {
        for try await message in inbound.messages(maxSize: maxSize) {
            switch message {
            case .text(let text): try await outbound.write(.text(text))
            case .binary(let bytes): try await outbound.write(.binary(bytes))
            }
        }
    }

    func buildApplication(onRunning: @escaping @Sendable (Int) async -> Void) throws -> some ApplicationProtocol {
        let limits = configuration.limits
        let gate = RequestGate(tokens: tokens, store: store, origins: origins)
        let router = Router()
        ServerRoutes(gate: gate, desk: invites, tokens: tokens, store: store, limits: limits, logger: logger).add(to: router)
        WebRoutes(gate: gate, context: registry.context).add(to: router)

        let webSocketRouter = Router(context: RoomSocketRequestContext.self)
        let registry = self.registry
        let logger = self.logger
        let echo = configuration.conformanceEcho
        webSocketRouter.ws("/ws") { request, _ in
            _ = try await gate.authorize(request)
            return .upgrade(RequestGate.upgradeHeaders(for: request))
        } onUpgrade: { inbound, outbound, context in
            guard let claims = try? await gate.authorize(context.request) else {
                try? await outbound.close(.policyViolation, reason: "unauthorized")
                return
            }
            if echo { return try await Self.echo(inbound, outbound, maxSize: limits.maxFrameBytes) }
            let channel = context.requestContext.channel
            let socket: SocketWriter
            do {
                socket = try await SocketWriter.install(on: channel, maxQueuedFrames: limits.maxQueuedMessages) {
                    logger.notice("disconnected a client too slow to keep up (room \(claims.room), member \(claims.member))")
                }
            } catch {
                logger.error("cannot set up the socket writer: \(error)")
                try? await outbound.close(.unexpectedServerError, reason: nil)
                return
            }
            let room = await registry.room(claims.room)
            let (closeSignal, continuation) = AsyncStream.makeStream(of: Void.self)
            let handle = ConnectionHandle(id: await registry.newConnectionID(), claims: claims, socket: socket, closeSignal: continuation)
            logger.info("connect \(handle.id) member=\(claims.member) room=\(claims.room)")
            await room.attach(handle)
            let closer = Task { () -> Task<Void, any Error>? in
                for await _ in closeSignal {}
                guard let close = handle.requestedClose else { return nil }
                // A client that does not answer the close frame (or reads nothing, so cannot take it) is
                // dropped after a while: until its reading ends, the deadline stands.
                let deadline = Task {
                    try await Task.sleep(for: Self.closeTimeout)
                    channel.close(promise: nil)
                }
                try? await outbound.close(close.code, reason: close.reason)
                return deadline
            }
            var failure: (any Error)?
            do {
                for try await message in inbound.messages(maxSize: limits.maxFrameBytes) {
                    guard case .text(let text) = message else {
                        handle.send(WireJSON.encode(ServerMessage.Failure(code: "bad_message", message: "text frames only")))
                        continue
                    }
                    await room.receive(text, from: handle.id)
                }
            } catch {
                logger.debug("connection \(handle.id) ended: \(error)")
                failure = error
            }
            await room.detach(handle.id)
            handle.finish()
            await closer.value?.cancel()
            logger.info("disconnect \(handle.id) member=\(claims.member)")
            // Rethrown, the reading error picks the close code (1007 invalid UTF-8, 1009 a message
            // over the limit, 1002 a protocol error); swallowed, the socket would close with 1000.
            if let failure { throw failure }
        }

        let webSocket = WebSocketServerConfiguration(
            maxFrameSize: limits.maxFrameBytes, autoPing: .enabled(timePeriod: limits.pingInterval), closeTimeout: Self.closeTimeout,
            validateUTF8: true)
        var server = HTTPServerBuilder.http1WebSocketUpgrade(
            webSocketRouter: webSocketRouter, configuration: .init(http1: .init(idleTimeout: .seconds(60)), ws: webSocket))
        if let certificate = configuration.tlsCertificatePath, let key = configuration.tlsKeyPath {
            let tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
            server = try .tls(server, tlsConfiguration: tls)
        }
        let origins = self.origins
        return Application(
            router: router, server: server,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                origins.setPort(port)
                await onRunning(port)
            }, logger: logger)
    }
}
