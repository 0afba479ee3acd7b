import NIOConcurrencyHelpers
import NIOCore

/// The frames waiting for one event loop's sockets. Rooms enqueue from any thread; the loop takes
/// everything queued in one task, writes each frame to its sockets and flushes each socket once, so
/// a burst of broadcasts costs one wake-up and one `writev` per socket rather than one per frame.
final class EventLoopOutbox: @unchecked Sendable {
    enum Delivery {
        /// A frame for every writer of `audience`.
        case frame(ByteBuffer, Audience)
        case single(ByteBuffer, SocketWriter)
        /// Stop the writer after everything queued before, then run `then`.
        case stop(SocketWriter, then: @Sendable () -> Void)
    }

    /// Sockets of one event loop that receive the same frames; an object, so consecutive frames
    /// for the same audience are recognised and written to each socket as one buffer.
    final class Audience: @unchecked Sendable {
        let writers: [SocketWriter]

        init(_ writers: [SocketWriter]) { self.writers = writers }
    }

    let eventLoop: any EventLoop
    private let lock = NIOLock()
    private var pending: [Delivery] = []
    private var scheduled = false

    private init(eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    private static let outboxes = NIOLockedValueBox<[ObjectIdentifier: EventLoopOutbox]>([:])

    /// The outbox of `eventLoop`, made on first use (a server has one per loop).
    static func of(_ eventLoop: any EventLoop) -> EventLoopOutbox {
        outboxes.withLockedValue { outboxes in
            let key = ObjectIdentifier(eventLoop)
            if let outbox = outboxes[key] { return outbox }
            let outbox = EventLoopOutbox(eventLoop: eventLoop)
            outboxes[key] = outbox
            return outbox
        }
    }

    func enqueue(_ delivery: Delivery) {
        let schedule = lock.withLock {
            pending.append(delivery)
            if scheduled { return false }
            scheduled = true
            return true
        }
        if schedule { eventLoop.execute { self.drain() } }
    }

    private func drain() {
        let batch = lock.withLock {
            scheduled = false
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
        var touched: [SocketWriter] = []
        var index = 0
        while index < batch.count {
            switch batch[index] {
            case .frame(var bytes, let audience):
                // The frames queued one after another for the same audience go out as one buffer.
                var frames = 1
                index += 1
                while index < batch.count, case .frame(let more, let same) = batch[index], same === audience {
                    if frames == 1 {
                        var joined = ByteBufferAllocator().buffer(capacity: bytes.readableBytes * 4)
                        joined.writeImmutableBuffer(bytes)
                        bytes = joined
                    }
                    bytes.writeImmutableBuffer(more)
                    frames += 1
                    index += 1
                }
                for writer in audience.writers where writer.write(bytes, frames: frames) { touched.append(writer) }
            case .single(let bytes, let writer):
                if writer.write(bytes, frames: 1) { touched.append(writer) }
                index += 1
            case .stop(let writer, let then):
                writer.stop()
                then()
                index += 1
            }
        }
        for writer in touched { writer.flush() }
    }
}

/// Sockets grouped by event loop, for broadcasts: one outbox entry per loop, not per socket. A room
/// keeps one for all its greeted connections and builds it again only when they change.
struct FanOut: Sendable {
    private var groups: [(outbox: EventLoopOutbox, audience: EventLoopOutbox.Audience)] = []

    init(_ writers: some Sequence<SocketWriter>) {
        var byLoop: [(outbox: EventLoopOutbox, writers: [SocketWriter])] = []
        for writer in writers {
            if let index = byLoop.firstIndex(where: { $0.outbox === writer.outbox }) {
                byLoop[index].writers.append(writer)
            } else {
                byLoop.append((writer.outbox, [writer]))
            }
        }
        groups = byLoop.map { ($0.outbox, EventLoopOutbox.Audience($0.writers)) }
    }

    func send(_ frame: ServerFrame) {
        for group in groups { group.outbox.enqueue(.frame(frame.bytes, group.audience)) }
    }
}
