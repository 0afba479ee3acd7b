import Foundation

/// A forward-only reader over one JSON text in memory that decodes only what it is asked for and
/// skips everything else at close to `memchr` speed.
///
/// Transcript lines are mostly large strings (tool output, file contents) around a few small fields
/// lsm needs. Decoding whole lines with `JSONDecoder` costs far more than reading them; this cursor
/// walks the structure, jumps over strings by searching for the closing quote, and hands back
/// numbers, booleans and strings only for the keys a reader asks about. Malformed input makes the
/// reading functions return `nil`/`false`; it never traps.
struct JSONCursor {
    let base: UnsafePointer<UInt8>
    let end: Int
    private(set) var position: Int

    /// A cursor at the start of `buffer`; `nil` when the buffer is empty.
    init?(_ buffer: UnsafeBufferPointer<UInt8>) {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return nil }
        self.base = base
        self.end = buffer.count
        self.position = 0
    }

    private init(base: UnsafePointer<UInt8>, end: Int, position: Int) {
        self.base = base
        self.end = end
        self.position = position
    }

    /// A cursor over the same text, at `position`.
    func at(_ position: Int) -> JSONCursor { JSONCursor(base: base, end: end, position: position) }

    var isAtEnd: Bool { position >= end }

    private var current: UInt8 { base[position] }

    mutating func skipWhitespace() {
        while position < end {
            switch base[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// The next non-blank byte, without consuming it; 0 at the end.
    mutating func peek() -> UInt8 {
        skipWhitespace()
        return position < end ? base[position] : 0
    }

    /// Consumes `byte` if it is next (after blanks).
    @discardableResult
    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        position += 1
        return true
    }

    // MARK: Objects

    /// Calls `body` with each key of the object that starts here; `body` may read the value through
    /// the cursor, and any value it leaves unread is skipped. Returns false on malformed input.
    @discardableResult
    mutating func forEachField(_ body: (JSONKey, inout JSONCursor) -> Void) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        if consume(UInt8(ascii: "}")) { return true }
        while true {
            guard peek() == UInt8(ascii: "\""), let key = readStringRange() else { return false }
            guard consume(UInt8(ascii: ":")) else { return false }
            skipWhitespace()
            let valueStart = position
            body(JSONKey(base: base, range: key), &self)
            if position == valueStart {
                guard skipValue() else { return false }
            }
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "}"))
        }
    }

    /// Calls `body` with each element of the array that starts here, like `forEachField`.
    @discardableResult
    mutating func forEachElement(_ body: (inout JSONCursor) -> Void) -> Bool {
        guard consume(UInt8(ascii: "[")) else { return false }
        if consume(UInt8(ascii: "]")) { return true }
        while true {
            skipWhitespace()
            let valueStart = position
            body(&self)
            if position == valueStart {
                guard skipValue() else { return false }
            }
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "]"))
        }
    }

    // MARK: Values

    /// Skips one value of any kind. Returns false on malformed input.
    @discardableResult
    mutating func skipValue() -> Bool {
        switch peek() {
        case UInt8(ascii: "\""):
            return readStringRange() != nil
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            return skipContainer()
        case 0:
            return false
        default:
            // Numbers, true, false, null: up to the next delimiter.
            let start = position
            while position < end {
                switch base[position] {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09:
                    return position > start
                default: position += 1
                }
            }
            return position > start
        }
    }

    /// Skips a whole object or array: counts brackets, jumping over strings.
    private mutating func skipContainer() -> Bool {
        var depth = 0
        while position < end {
            switch base[position] {
            case UInt8(ascii: "\""):
                guard readStringRange() != nil else { return false }
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 {
                    position += 1
                    return true
                }
            default:
                break
            }
            position += 1
        }
        return false
    }

    /// Reads a string and returns the range of its raw (still escaped) bytes, without the quotes.
    mutating func readStringRange() -> Range<Int>? {
        guard peek() == UInt8(ascii: "\"") else { return nil }
        let start = position + 1
        var searchFrom = start
        while searchFrom < end {
            guard let found = memchr(base + searchFrom, Int32(UInt8(ascii: "\"")), end - searchFrom) else { return nil }
            let quote = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            // A quote preceded by an odd number of backslashes is escaped.
            var backslashes = 0
            var index = quote - 1
            while index >= start, base[index] == UInt8(ascii: "\\") {
                backslashes += 1
                index -= 1
            }
            if backslashes % 2 == 0 {
                position = quote + 1
                return start..<quote
            }
            searchFrom = quote + 1
        }
        return nil
    }

    /// Reads a string value, decoding escapes; `nil` when the value is not a string.
    mutating func readString() -> String? {
        guard let range = readStringRange() else { return nil }
        return JSONCursor.decodeString(base: base, range: range)
    }

    /// Reads a string value, decoding at most its first `maxBytes` bytes (for prompts and errors,
    /// which are shown shortened anyway; a 5 MB tool output is never decoded whole).
    mutating func readString(maxBytes: Int) -> String? {
        guard let range = readStringRange() else { return nil }
        return JSONCursor.decodeString(base: base, range: range.lowerBound..<min(range.upperBound, range.lowerBound + maxBytes))
    }

    /// Reads an integer value (a JSON number without fraction); `nil` for anything else, including null.
    mutating func readInt() -> Int? {
        guard peek() != 0 else { return nil }
        var value = 0
        var negative = false
        var digits = 0
        if current == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        while position < end, base[position] >= 0x30, base[position] <= 0x39 {
            let (product, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = product.addingReportingOverflow(Int(base[position] - 0x30))
            if overflow1 || overflow2 { return nil }
            value = sum
            digits += 1
            position += 1
        }
        guard digits > 0 else {
            skipValue()
            return nil
        }
        // A fraction or exponent: keep the integer part (token counts are integers).
        if position < end, base[position] == UInt8(ascii: ".") || base[position] == UInt8(ascii: "e") || base[position] == UInt8(ascii: "E")
        {
            skipValue()
        }
        return negative ? -value : value
    }

    /// Reads a token count: a whole number from 0 to a trillion. Anything else (negative, absurdly
    /// large, not a number) reads as 0, so one corrupt record can neither overflow a sum nor break
    /// the index's constraints.
    mutating func readTokenCount() -> Int {
        guard let value = readInt(), (0...1_000_000_000_000).contains(value) else { return 0 }
        return value
    }

    /// Reads a number as a `Double`; `nil` when the value is not a number.
    mutating func readDouble() -> Double? {
        guard peek() != 0 else { return nil }
        let start = position
        guard skipValue() else { return nil }
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: position - start), as: UTF8.self)
        return Double(text)
    }

    /// Reads `true` or `false`; `nil` for anything else.
    mutating func readBool() -> Bool? {
        switch peek() {
        case UInt8(ascii: "t"):
            skipValue()
            return true
        case UInt8(ascii: "f"):
            skipValue()
            return false
        default:
            return nil
        }
    }

    /// Decodes the escaped bytes of a string.
    static func decodeString(base: UnsafePointer<UInt8>, range: Range<Int>) -> String {
        let raw = UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
        guard memchr(base + range.lowerBound, Int32(UInt8(ascii: "\\")), range.count) != nil else {
            return String(decoding: raw, as: UTF8.self)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < raw.count else {
                bytes.append(byte)
                index += 1
                continue
            }
            let escape = raw[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "u"):
                guard let unit = hex4(raw, at: index) else { continue }
                index += 4
                var scalarValue = UInt32(unit)
                if (0xD800..<0xDC00).contains(unit), index + 6 <= raw.count, raw[index] == UInt8(ascii: "\\"),
                    raw[index + 1] == UInt8(ascii: "u"), let low = hex4(raw, at: index + 2), (0xDC00..<0xE000).contains(low)
                {
                    scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    index += 6
                }
                let scalar = Unicode.Scalar(scalarValue) ?? "\u{FFFD}"
                bytes.append(contentsOf: Array(String(Character(scalar)).utf8))
            default: bytes.append(escape)  // \" \\ \/
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hex4(_ raw: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt16? {
        guard index + 4 <= raw.count else { return nil }
        var value: UInt16 = 0
        for offset in 0..<4 {
            let byte = raw[index + offset]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x61...0x66: digit = byte - 0x61 + 10
            case 0x41...0x46: digit = byte - 0x41 + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}

/// An object key as it appears in the text, compared without allocating.
struct JSONKey {
    let base: UnsafePointer<UInt8>
    let range: Range<Int>

    /// Whether the key is exactly `literal` (keys lsm asks about have no escapes).
    func equals(_ literal: StaticString) -> Bool {
        guard literal.utf8CodeUnitCount == range.count else { return false }
        return memcmp(base + range.lowerBound, literal.utf8Start, range.count) == 0
    }

    var string: String { JSONCursor.decodeString(base: base, range: range) }
}
