import Foundation
import MCP
import Testing

@testable import LsmMCP

/// Structured content is the `--json` encoding read back exactly: strings with escapes and any
/// Unicode, integers, doubles to the last digit, booleans, nulls, nesting.
@Suite struct ValueEncodingTests {
    struct Sample: Encodable {
        var text = "quote \" backslash \\ newline \n tab \t control \u{01} emoji 🧪 accent é"
        var number = 42
        var negative = -7
        var cost = 0.045076349999999994
        var small = 1e-7
        var flag = true
        var none: String? = nil
        var list = [1, 2]
        var nested = ["a": ["b": false]]
        var date = Date(timeIntervalSince1970: 0)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(text, forKey: .text)
            try container.encode(number, forKey: .number)
            try container.encode(negative, forKey: .negative)
            try container.encode(cost, forKey: .cost)
            try container.encode(small, forKey: .small)
            try container.encode(flag, forKey: .flag)
            try container.encode(none, forKey: .none)
            try container.encode(list, forKey: .list)
            try container.encode(nested, forKey: .nested)
            try container.encode(date, forKey: .date)
        }

        enum Keys: CodingKey { case text, number, negative, cost, small, flag, none, list, nested, date }
    }

    @Test func readsBackExactlyWhatTheEncoderWrote() throws {
        let sample = Sample()

        let value = try ValueEncoding.value(sample)
        let object = try #require(value.objectValue)

        #expect(object["text"] == .string(sample.text))
        #expect(object["number"] == .int(42))
        #expect(object["negative"] == .int(-7))
        #expect(object["cost"] == .double(0.045076349999999994))
        #expect(object["small"] == .double(1e-7))
        #expect(object["flag"] == .bool(true))
        #expect(object["none"] == .null)
        #expect(object["list"] == .array([.int(1), .int(2)]))
        #expect(object["nested"] == .object(["a": .object(["b": .bool(false)])]))
        #expect(object["date"] == .string("1970-01-01T00:00:00Z"))
    }
}
