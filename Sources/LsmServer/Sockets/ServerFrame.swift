import NIOCore

/// A WebSocket text frame as a server sends it (unmasked, unfragmented), encoded once: a broadcast
/// writes the same bytes to every socket instead of building a frame per connection.
struct ServerFrame: Sendable {
    let bytes: ByteBuffer

    init(text: String) {
        let length = text.utf8.count
        var buffer = ByteBufferAllocator().buffer(capacity: length + 10)
        Self.writeHeader(opcode: 0x1, length: length, masked: false, into: &buffer)
        buffer.writeString(text)
        bytes = buffer
    }

    /// A text frame around `payload` (UTF-8), as received from a client.
    init(textPayload payload: ByteBuffer) {
        var buffer = ByteBufferAllocator().buffer(capacity: payload.readableBytes + 10)
        Self.writeHeader(opcode: 0x1, length: payload.readableBytes, masked: false, into: &buffer)
        buffer.writeImmutableBuffer(payload)
        bytes = buffer
    }

    /// FIN, `opcode`, and the payload length in the shortest of RFC 6455's three forms (§5.2); the
    /// mask bit when `masked` (the caller writes the key).
    static func writeHeader(opcode: UInt8, length: Int, masked: Bool, into buffer: inout ByteBuffer) {
        let maskBit: UInt8 = masked ? 0x80 : 0
        buffer.writeInteger(0x80 | opcode)
        if length < 126 {
            buffer.writeInteger(maskBit | UInt8(length))
        } else if length <= Int(UInt16.max) {
            buffer.writeInteger(maskBit | 126)
            buffer.writeInteger(UInt16(length))
        } else {
            buffer.writeInteger(maskBit | 127)
            buffer.writeInteger(UInt64(length))
        }
    }
}
