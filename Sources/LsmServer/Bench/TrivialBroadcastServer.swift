import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// The yardstick of the room benchmark (`lsm bench-room trivial`): a WebSocket server on bare
/// SwiftNIO that sends every text frame it receives, unchanged, to every connection (the sender
/// included) — no auth, no JSON, no storage. Each frame is encoded once and handed to each event
/// loop's outbox, which writes it to that loop's sockets and flushes each socket once per batch:
/// the same write path as lsm's rooms, with nothing else around it. Whatever the load generator
/// receives from it bounds what the generator can measure.
public enum TrivialBroadcastServer {
    /// Serves on `host:port` (0: any) until the process ends; `onBound` gets the port.
    public static func run(host: String, port: Int, onBound: @escaping @Sendable (Int) -> Void) async throws {
        let hub = Hub()
        let group = MultiThreadedEventLoopGroup.singleton
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                let upgrader = NIOWebSocketServerUpgrader(
                    maxFrameSize: 1 << 16, shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture([:]) },
                    upgradePipelineHandler: { channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            let writer = try SocketWriter.add(to: channel, maxQueuedFrames: 1 << 20) { channel.close(promise: nil) }
                            try channel.pipeline.syncOperations.addHandler(BroadcastHandler(hub: hub, writer: writer))
                        }
                    })
                return channel.pipeline.configureHTTPServerPipeline(
                    withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
            }
            .bind(host: host, port: port).get()
        onBound(channel.localAddress?.port ?? 0)
        try await channel.closeFuture.get()
    }

    /// Every open connection's writer, and all of them as a fan-out, built again when a connection
    /// comes or goes.
    final class Hub: Sendable {
        private let state = NIOLockedValueBox((writers: [ObjectIdentifier: SocketWriter](), fanOut: FanOut([])))

        func add(_ writer: SocketWriter) { update(writer, adding: true) }
        func remove(_ writer: SocketWriter) { update(writer, adding: false) }

        private func update(_ writer: SocketWriter, adding: Bool) {
            state.withLockedValue { state in
                state.writers[ObjectIdentifier(writer)] = adding ? writer : nil
                state.fanOut = FanOut(state.writers.values)
            }
        }

        func broadcast(_ frame: ServerFrame) { state.withLockedValue { $0.fanOut }.send(frame) }
    }

    final class BroadcastHandler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = WebSocketFrame
        typealias OutboundOut = WebSocketFrame
        let hub: Hub
        let writer: SocketWriter

        init(hub: Hub, writer: SocketWriter) {
            self.hub = hub
            self.writer = writer
        }

        func handlerAdded(context: ChannelHandlerContext) { hub.add(writer) }
        func handlerRemoved(context: ChannelHandlerContext) { hub.remove(writer) }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let frame = unwrapInboundIn(data)
            switch frame.opcode {
            case .text: hub.broadcast(ServerFrame(textPayload: frame.unmaskedData))
            case .ping:
                context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
            case .connectionClose: context.close(promise: nil)
            default: break
            }
        }
    }
}
