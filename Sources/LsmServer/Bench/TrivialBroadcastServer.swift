import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// The yardstick of the room benchmark (`lsm bench-room trivial`): a WebSocket server on bare
/// SwiftNIO that sends every text frame it receives, unchanged, to every connection (the sender
/// included) — no auth, no JSON, no storage, one shared buffer per broadcast. Whatever the load
/// generator receives from it bounds what the generator can measure.
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
                    upgradePipelineHandler: { channel, _ in channel.pipeline.addHandler(BroadcastHandler(hub: hub)) })
                return channel.pipeline.configureHTTPServerPipeline(
                    withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
            }
            .bind(host: host, port: port).get()
        onBound(channel.localAddress?.port ?? 0)
        try await channel.closeFuture.get()
    }

    /// Every open connection, by its channel identity.
    final class Hub: @unchecked Sendable {
        private let lock = NSLock()
        private var channels: [ObjectIdentifier: any Channel] = [:]

        func add(_ channel: any Channel) { lock.withLock { channels[ObjectIdentifier(channel)] = channel } }
        func remove(_ channel: any Channel) { lock.withLock { channels[ObjectIdentifier(channel)] = nil } }

        func broadcast(_ data: ByteBuffer) {
            let all = lock.withLock { Array(channels.values) }
            let frame = WebSocketFrame(fin: true, opcode: .text, data: data)
            for channel in all { channel.writeAndFlush(frame, promise: nil) }
        }
    }

    final class BroadcastHandler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = WebSocketFrame
        typealias OutboundOut = WebSocketFrame
        let hub: Hub

        init(hub: Hub) { self.hub = hub }

        func handlerAdded(context: ChannelHandlerContext) { hub.add(context.channel) }
        func handlerRemoved(context: ChannelHandlerContext) { hub.remove(context.channel) }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let frame = unwrapInboundIn(data)
            switch frame.opcode {
            case .text: hub.broadcast(frame.unmaskedData)
            case .ping:
                context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
            case .connectionClose: context.close(promise: nil)
            default: break
            }
        }
    }
}
