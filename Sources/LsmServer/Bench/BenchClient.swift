import Foundation
import NIOCore
import Synchronization

/// One simulated client of the room benchmark, as a bare SwiftNIO handler: it writes the HTTP
/// upgrade itself, reads server frames (unmasked) straight from the socket's bytes, and looks in a
/// text frame only for `bench <sender> <sent at>` — no frame objects, no JSON, no task or await per
/// message. Many clients share each event loop; a sender's pacing runs on its loop's timers.
///
/// State is confined to the channel's event loop; the generator reads the atomics while running
/// and everything else once the channel is closed, hence `@unchecked Sendable`.
final class BenchClient: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    struct Target: Sendable {
        var host: String
        var port: Int
        /// `/ws?room=…`
        var path: String
        var dialect: RoomLoadGenerator.Dialect
    }

    /// How a sender sends: `perSecond` at most (nil: no limit), and with `inFlight` set, no more
    /// than that many of its own messages on the way (closed loop).
    struct Pace: Sendable {
        var window: (start: UInt64, end: UInt64)
        var perSecond: Double?
        var inFlight: Int?
        /// Where in its interval this sender starts, 0..<1, so senders do not send in step.
        var offset: Double
    }

    let index: Int
    let isSender: Bool
    private let target: Target
    private let token: String?

    /// Greeted (lsm: `synced` received; plain: upgraded), or closed.
    let isReady = Atomic<Bool>(false)
    /// Receipts of messages sent inside the measured window.
    let received = Atomic<Int>(0)
    let sentInWindow = Atomic<Int>(0)
    let closedEarly = Atomic<Bool>(false)

    /// Latency of each receipt in the window, in microseconds; read once the channel is closed.
    private(set) var latencies: [UInt32] = []
    private var context: ChannelHandlerContext?
    private var upgraded = false
    private var partial: ByteBuffer?
    private var window: (start: UInt64, end: UInt64) = (.max, .max)
    private var closing = false
    private var keepAlive: RepeatedTask?
    private var pace: Pace?
    private var next: UInt64 = 0
    private var inFlight = 0
    private var number = 0
    private var timerArmed = false

    private static let marker = Array("bench ".utf8)
    private static let synced = Array(#""type":"synced""#.utf8)
    private static let headerEnd = Array("\r\n\r\n".utf8)

    init(index: Int, isSender: Bool, target: Target, token: String?) {
        self.index = index
        self.isSender = isSender
        self.target = target
        self.token = token
        latencies.reserveCapacity(isSender ? 1 << 16 : 1 << 14)
    }

    // MARK: - Driven by the generator (any thread)

    /// Sets the measured window; senders start sending at `pace`.
    func start(window: (start: UInt64, end: UInt64), pace: Pace?, on loop: any EventLoop) {
        loop.execute {
            self.window = window
            guard self.isSender, let pace else { return }
            self.pace = pace
            self.next = DispatchTime.now().uptimeNanoseconds + UInt64(pace.offset * Double(pace.interval))
            self.trySend()
        }
    }

    func close(on loop: any EventLoop) {
        loop.execute {
            self.closing = true
            guard let context = self.context else { return }
            if self.upgraded {
                var payload = ByteBuffer()
                payload.writeInteger(UInt16(1000))
                self.writeFrame(opcode: 0x8, payload: payload.readableBytesView)
            }
            context.close(promise: nil)
        }
    }

    // MARK: - Channel events (the event loop)

    func channelActive(context: ChannelHandlerContext) {
        self.context = context
        var request = "GET \(target.path) HTTP/1.1\r\nHost: \(target.host):\(target.port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        request += "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n"
        if let token { request += "Authorization: Bearer \(token)\r\n" }
        request += "\r\n"
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: request)), promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        keepAlive?.cancel()
        keepAlive = nil
        if !closing { closedEarly.store(true, ordering: .relaxed) }
        isReady.store(true, ordering: .releasing)
        self.context = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if var earlier = partial {
            earlier.writeBuffer(&buffer)
            buffer = earlier
            partial = nil
        }
        if !upgraded {
            guard let end = Self.find(Self.headerEnd, in: buffer) else {
                partial = buffer
                return
            }
            guard buffer.readableBytesView.starts(with: "HTTP/1.1 101".utf8) else {
                context.close(promise: nil)
                return
            }
            buffer.moveReaderIndex(forwardBy: end + Self.headerEnd.count)
            upgraded = true
            upgradeDone(context: context)
        }
        readFrames(&buffer, now: DispatchTime.now().uptimeNanoseconds)
        if buffer.readableBytes > 0 { partial = buffer }
    }

    private func upgradeDone(context: ChannelHandlerContext) {
        guard target.dialect == .lsm else {
            isReady.store(true, ordering: .releasing)
            return
        }
        writeText(#"{"type":"hello","v":1}"#)
        // lsm closes sockets silent for 120 s.
        keepAlive = context.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(50), delay: .seconds(50)) { _ in
            self.writeText(#"{"type":"ping"}"#)
        }
    }

    /// Every whole frame in `buffer` (RFC 6455 §5.2); a frame cut short stays for the next read.
    private func readFrames(_ buffer: inout ByteBuffer, now: UInt64) {
        while let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
            let second = buffer.getInteger(at: buffer.readerIndex + 1, as: UInt8.self)
        {
            let start = buffer.readerIndex
            var length = Int(second & 0x7F)
            var header = 2
            if length == 126 {
                guard let long = buffer.getInteger(at: start + 2, as: UInt16.self) else { return }
                length = Int(long)
                header = 4
            } else if length == 127 {
                guard let long = buffer.getInteger(at: start + 2, as: UInt64.self) else { return }
                length = Int(clamping: long)
                header = 10
            }
            if second & 0x80 != 0 { header += 4 }
            guard buffer.readableBytes >= header + length else { return }
            switch first & 0x0F {
            case 0x0, 0x1:
                if second & 0x80 == 0 { textFrame(buffer, at: start + header, length: length, now: now) }
            case 0x8:
                closing = true
                context?.close(promise: nil)
            case 0x9:
                if let payload = buffer.getSlice(at: start + header, length: length) {
                    writeFrame(opcode: 0xA, payload: payload.readableBytesView)
                }
            default: break
            }
            buffer.moveReaderIndex(forwardBy: header + length)
        }
    }

    private func textFrame(_ buffer: ByteBuffer, at offset: Int, length: Int, now: UInt64) {
        let found = buffer.withUnsafeReadableBytes { bytes -> (sender: Int, sentAt: UInt64)? in
            let payload = UnsafeRawBufferPointer(rebasing: bytes[(offset - buffer.readerIndex)..<(offset - buffer.readerIndex + length)])
            guard let at = Self.find(Self.marker, in: payload) else {
                if target.dialect == .lsm, !isReady.load(ordering: .relaxed), Self.find(Self.synced, in: payload) != nil {
                    isReady.store(true, ordering: .releasing)
                }
                return nil
            }
            var position = at + Self.marker.count
            let sender = Self.number(in: payload, at: &position)
            position += 1
            return (Int(sender), Self.number(in: payload, at: &position))
        }
        guard let found else { return }
        if found.sentAt >= window.start && found.sentAt < window.end {
            latencies.append(UInt32(clamping: (now &- found.sentAt) / 1000))
            received.add(1, ordering: .relaxed)
        }
        if found.sender == index && pace != nil {
            inFlight -= 1
            trySend()
        }
    }

    // MARK: - Sending

    private func trySend() {
        guard let pace, let context else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now < pace.window.end else { return }
        if now < next {
            if !timerArmed {
                timerArmed = true
                context.eventLoop.scheduleTask(deadline: .uptimeNanoseconds(next)) {
                    self.timerArmed = false
                    self.trySend()
                }
            }
            return
        }
        if let limit = pace.inFlight, inFlight >= limit { return }
        number += 1
        writeText(#"{"type":"chat","clientId":"b\#(index)-\#(number)","text":"bench \#(index) \#(now)"}"#)
        if now >= pace.window.start { sentInWindow.add(1, ordering: .relaxed) }
        inFlight += 1
        next = max(next + pace.interval, now)
        trySend()
    }

    private func writeText(_ text: String) { writeFrame(opcode: 0x1, payload: text.utf8) }

    /// A client frame: masked with a fresh key (RFC 6455 §5.3).
    private func writeFrame(opcode: UInt8, payload: some Collection<UInt8>) {
        guard let context else { return }
        var frame = context.channel.allocator.buffer(capacity: payload.count + 14)
        ServerFrame.writeHeader(opcode: opcode, length: payload.count, masked: true, into: &frame)
        let key = (0..<4).map { _ in UInt8.random(in: 0...255) }
        frame.writeBytes(key)
        for (position, byte) in payload.enumerated() { frame.writeInteger(byte ^ key[position & 3]) }
        context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
    }

    // MARK: - Bytes

    private static func find(_ needle: [UInt8], in buffer: ByteBuffer) -> Int? {
        buffer.withUnsafeReadableBytes { find(needle, in: $0) }
    }

    private static func find(_ needle: [UInt8], in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let first = needle.first, bytes.count >= needle.count else { return nil }
        var position = 0
        let last = bytes.count - needle.count
        outer: while position <= last {
            if bytes[position] != first {
                position += 1
                continue
            }
            for offset in 1..<needle.count where bytes[position + offset] != needle[offset] {
                position += 1
                continue outer
            }
            return position
        }
        return nil
    }

    /// The decimal number at `position`, which ends past it.
    private static func number(in bytes: UnsafeRawBufferPointer, at position: inout Int) -> UInt64 {
        var value: UInt64 = 0
        while position < bytes.count, bytes[position] >= 48, bytes[position] <= 57 {
            value = value &* 10 &+ UInt64(bytes[position] - 48)
            position += 1
        }
        return value
    }
}

extension BenchClient.Pace {
    /// Nanoseconds between two sends.
    var interval: UInt64 { perSecond.map { UInt64(1e9 / $0) } ?? 0 }
}
