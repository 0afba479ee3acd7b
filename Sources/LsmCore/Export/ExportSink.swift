import Foundation

/// Where an export goes: a file descriptor written through a buffer, with the SHA-256 of every byte
/// kept as it is written, so a bundle of any size is checksummed without being held in memory.
final class ExportSink {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// Where the bytes go instead of a descriptor (standard output through the command's console).
    private let stream: (@Sendable (String) -> Void)?
    private var buffer: [UInt8] = []
    private static let flushSize = 1 << 20
    private(set) var hasher = SHA256()
    /// Bytes written so far.
    private(set) var count: Int64 = 0
    let path: String

    /// Writes to `path`, created or truncated.
    init(path: String) throws(LsmError) {
        self.path = path
        stream = nil
        do {
            descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw LsmError(
                    .user, "cannot write \(path): \(String(cString: strerror(errno)))", hint: "check the folder exists and is writable")
            }
            ownsDescriptor = true
        }
        buffer.reserveCapacity(Self.flushSize + 4096)
    }

    /// Hands the text to `stream` in chunks (what is written is UTF-8: bundles carry other bytes as
    /// base64); `path` is `-`.
    init(stream: @escaping @Sendable (String) -> Void) {
        path = "-"
        descriptor = -1
        ownsDescriptor = false
        self.stream = stream
        buffer.reserveCapacity(Self.flushSize + 4096)
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in append(UnsafeRawBufferPointer(bytes)) }
    }

    func append(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushSize { try? flushBuffer() }
    }

    func append(byte: UInt8) {
        buffer.append(byte)
    }

    /// Writes `bytes` as a JSON string: quoted, with quotes, backslashes and control characters
    /// escaped (the bytes must be valid UTF-8).
    func writeJSONString(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(UInt8(ascii: "\""))
        JSONText.escape(bytes, into: &buffer)
        buffer.append(UInt8(ascii: "\""))
        if buffer.count >= Self.flushSize { try? flushBuffer() }
    }

    func writeJSONString(_ text: String) {
        var text = text
        text.withUTF8 { writeJSONString(UnsafeRawBufferPointer($0)) }
    }

    /// Sends what is buffered to the file. A failed write is remembered and reported by `finish`.
    private var failure: Int32 = 0

    private func flushBuffer(whole: Bool = false) throws(LsmError) {
        guard !buffer.isEmpty else { return }
        if let stream {
            // A stream takes text: hand out whole lines, so no character is cut in two.
            let end = whole ? buffer.count : (buffer.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0)
            guard end > 0 else { return }
            buffer.withUnsafeBytes { bytes in
                let chunk = UnsafeRawBufferPointer(rebasing: bytes[0..<end])
                hasher.update(chunk)
                stream(String(decoding: chunk, as: UTF8.self))
            }
            count += Int64(end)
            buffer.removeSubrange(0..<end)
            return
        }
        buffer.withUnsafeBytes { bytes in
            hasher.update(bytes)
            var written = 0
            while written < bytes.count, let base = bytes.baseAddress {
                let result = Foundation.write(descriptor, base + written, bytes.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                written += result
            }
        }
        count += Int64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
        if failure != 0 { throw LsmError(.user, "cannot write \(path): \(String(cString: strerror(failure)))") }
    }

    /// Writes out what is buffered and returns the SHA-256 (hex) of everything written so far.
    func checksum() throws(LsmError) -> String {
        try flushBuffer(whole: true)
        var copy = hasher
        return copy.finalizeHex()
    }

    /// Writes out what is left.
    func finish() throws(LsmError) {
        try flushBuffer(whole: true)
        if failure != 0 { throw LsmError(.user, "cannot write \(path): \(String(cString: strerror(failure)))") }
    }
}

/// JSON text, written and read by hand where an encoder per value would cost more than the export.
enum JSONText {
    /// Whether each byte needs an escape inside a JSON string.
    private static let needsEscape: [Bool] = (0..<256).map { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }

    static func escape(_ bytes: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        needsEscape.withUnsafeBufferPointer { table in
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard table[Int(byte)] else { continue }
                if runStart < index { output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index])) }
                runStart = index + 1
                switch byte {
                case 0x22: output.append(contentsOf: [0x5C, 0x22])
                case 0x5C: output.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: output.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: output.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: output.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                default:
                    output.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
                }
            }
            if runStart < bytes.count { output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<bytes.count])) }
        }
    }

    /// Decodes the JSON string literal at the start of `bytes` (from its opening quote); returns the
    /// decoded bytes and the index just past the closing quote, or `nil` when it is not one.
    static func unescape(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> (value: [UInt8], end: Int)? {
        guard start < bytes.count, bytes[start] == UInt8(ascii: "\"") else { return nil }
        var output: [UInt8] = []
        var index = start + 1
        var runStart = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                return (output, index + 1)
            }
            guard byte == 0x5C else {
                index += 1
                continue
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            guard index + 1 < bytes.count else { return nil }
            let escaped = bytes[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "\""), 0x5C, UInt8(ascii: "/"): output.append(escaped)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "u"):
                guard var scalar = hexValue(bytes, index) else { return nil }
                index += 4
                if (0xD800..<0xDC00).contains(scalar), index + 6 <= bytes.count, bytes[index] == 0x5C,
                    bytes[index + 1] == UInt8(ascii: "u"), let low = hexValue(bytes, index + 2), (0xDC00..<0xE000).contains(low)
                {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                guard let unicode = Unicode.Scalar(scalar) else { return nil }
                output.append(contentsOf: Array(String(Character(unicode)).utf8))
            default:
                return nil
            }
            runStart = index
        }
        return nil
    }

    private static func hexValue(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32? {
        guard at + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = bytes[at + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}
