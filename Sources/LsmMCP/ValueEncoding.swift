import Foundation
import LsmCore
import MCP

/// lsm's values as MCP `Value`s, encoded exactly as `--json` encodes them (ISO 8601 dates, same keys).
enum ValueEncoding {
    /// Through a small parser of the encoder's output rather than `Value`'s own decoder, which tries
    /// every type in turn and matches each string against a data-URL regex (most of a call's time on
    /// large results); numbers are read by Swift's parsers, so they round-trip exactly as `--json` prints them.
    static func value<T: Encodable>(_ value: T) throws(LsmError) -> Value {
        let data: Data
        do {
            data = try LsmJSON.encoder(pretty: false).encode(value)
        } catch {
            throw LsmError(.internal, "cannot encode the result", cause: "\(error)")
        }
        var parser = JSONValueParser(bytes: Array(data))
        guard let parsed = parser.parseValue() else { throw LsmError(.internal, "cannot encode the result", cause: "unreadable JSON") }
        return parsed
    }

    /// `value` as one line of JSON text (for resource contents).
    static func json<T: Encodable>(_ value: T) throws(LsmError) -> String {
        do {
            return String(decoding: try LsmJSON.encoder(pretty: true).encode(value), as: UTF8.self)
        } catch {
            throw LsmError(.internal, "cannot encode the result", cause: "\(error)")
        }
    }
}

/// Reads the JSON `JSONEncoder` writes (well-formed, no comments) into a `Value`.
struct JSONValueParser {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func parseValue() -> Value? {
        skipSpace()
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var object: [String: Value] = [:]
            skipSpace()
            if peek(UInt8(ascii: "}")) { return .object(object) }
            while true {
                skipSpace()
                guard let key = parseString() else { return nil }
                skipSpace()
                guard peek(UInt8(ascii: ":")), let value = parseValue() else { return nil }
                object[key] = value
                skipSpace()
                if peek(UInt8(ascii: ",")) { continue }
                return peek(UInt8(ascii: "}")) ? .object(object) : nil
            }
        case UInt8(ascii: "["):
            index += 1
            var array: [Value] = []
            skipSpace()
            if peek(UInt8(ascii: "]")) { return .array(array) }
            while true {
                guard let value = parseValue() else { return nil }
                array.append(value)
                skipSpace()
                if peek(UInt8(ascii: ",")) { continue }
                return peek(UInt8(ascii: "]")) ? .array(array) : nil
            }
        case UInt8(ascii: "\""):
            return parseString().map(Value.string)
        case UInt8(ascii: "t"):
            return literal("true", .bool(true))
        case UInt8(ascii: "f"):
            return literal("false", .bool(false))
        case UInt8(ascii: "n"):
            return literal("null", .null)
        default:
            return parseNumber()
        }
    }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    /// Consumes `byte` when it is next.
    private mutating func peek(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func literal(_ word: String, _ value: Value) -> Value? {
        let utf8 = Array(word.utf8)
        guard index + utf8.count <= bytes.count, Array(bytes[index..<(index + utf8.count)]) == utf8 else { return nil }
        index += utf8.count
        return value
    }

    private mutating func parseNumber() -> Value? {
        let start = index
        var isInteger = true
        while index < bytes.count, let byte = Optional(bytes[index]),
            (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || [UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(byte)
        {
            if !(byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) && byte != UInt8(ascii: "-") { isInteger = false }
            index += 1
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let number = Int(text) { return .int(number) }
        return Double(text).map(Value.double)
    }

    private mutating func parseString() -> String? {
        guard peek(UInt8(ascii: "\"")) else { return nil }
        var scalars: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: scalars, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { return nil }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "u"):
                    guard var code = hex4() else { return nil }
                    if (0xD800..<0xDC00).contains(code), peek(UInt8(ascii: "\\")), peek(UInt8(ascii: "u")), let low = hex4() {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    scalars.append(contentsOf: Array(String(Character(Unicode.Scalar(code) ?? "\u{FFFD}")).utf8))
                default: scalars.append(escaped)
                }
            default:
                scalars.append(byte)
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard index + 4 <= bytes.count, let code = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16) else {
            return nil
        }
        index += 4
        return code
    }
}
