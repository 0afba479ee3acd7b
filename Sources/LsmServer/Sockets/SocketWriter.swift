import NIOCore
import NIOWebSocket

/// The raw end of one WebSocket for frames encoded once per broadcast (`ServerFrame`): a handler
/// just in front of NIO's frame encoder (after TLS when there is TLS), so a broadcast writes the same
/// bytes to every socket with no per-connection frame, task or await. Control frames and the close
/// handshake still go through hummingbird-websocket's writer; both paths meet on the event loop.
///
/// Every method but `install` runs on the channel's event loop (the `EventLoopOutbox` calls them),
/// hence `@unchecked Sendable`.
final class SocketWriter: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The outbox of this socket's event loop.
    let outbox: EventLoopOutbox
    private let maxQueuedFrames: Int
    private var onTooSlow: (@Sendable () -> Void)?
    private var context: ChannelHandlerContext?
    private var stopped = false
    private(set) var needsFlush = false
    /// Whether the socket's buffer is under its high-water mark (NIO's writability, as last reported).
    private var isWritable = true
    /// Frames written while the socket's buffer was over its high-water mark.
    private var queuedWhileBlocked = 0

    private init(outbox: EventLoopOutbox, maxQueuedFrames: Int, onTooSlow: @escaping @Sendable () -> Void) {
        self.outbox = outbox
        self.maxQueuedFrames = maxQueuedFrames
        self.onTooSlow = onTooSlow
    }

    /// Adds a writer to an upgraded WebSocket channel. When `maxQueuedFrames` frames have piled up
    /// behind a full socket buffer, the writer closes the connection and calls `onTooSlow` (on the
    /// event loop, once).
    static func install(on channel: any Channel, maxQueuedFrames: Int, onTooSlow: @escaping @Sendable () -> Void) async throws
        -> SocketWriter
    {
        try await channel.eventLoop.submit {
            try add(to: channel, maxQueuedFrames: maxQueuedFrames, onTooSlow: onTooSlow)
        }.get()
    }

    /// `install`, on the channel's event loop.
    static func add(to channel: any Channel, maxQueuedFrames: Int, onTooSlow: @escaping @Sendable () -> Void) throws -> SocketWriter {
        channel.eventLoop.preconditionInEventLoop()
        let writer = SocketWriter(outbox: EventLoopOutbox.of(channel.eventLoop), maxQueuedFrames: maxQueuedFrames, onTooSlow: onTooSlow)
        let encoder = try channel.pipeline.syncOperations.handler(type: WebSocketFrameEncoder.self)
        try channel.pipeline.syncOperations.addHandler(writer, position: .before(encoder))
        return writer
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        isWritable = context.channel.isWritable
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        stopped = true
        onTooSlow = nil
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        isWritable = context.channel.isWritable
        if isWritable { queuedWhileBlocked = 0 }
        context.fireChannelWritabilityChanged()
    }

    /// Queues `bytes` (`frames` whole frames) without flushing; true when this is the first write
    /// since the last flush.
    func write(_ bytes: ByteBuffer, frames: Int) -> Bool {
        guard let context, !stopped else { return false }
        if !isWritable {
            queuedWhileBlocked += frames
            if queuedWhileBlocked > maxQueuedFrames {
                // A close frame would wait behind everything the client has not read: drop it.
                stopped = true
                let tooSlow = onTooSlow
                onTooSlow = nil
                context.close(promise: nil)
                tooSlow?()
                return false
            }
        }
        context.write(wrapOutboundOut(bytes), promise: nil)
        if needsFlush { return false }
        needsFlush = true
        return true
    }

    func flush() {
        guard needsFlush else { return }
        needsFlush = false
        context?.flush()
    }

    /// Writes nothing more: the connection is closing.
    func stop() {
        flush()
        stopped = true
        onTooSlow = nil
    }
}
