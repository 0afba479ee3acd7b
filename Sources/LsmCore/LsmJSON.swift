import Foundation

/// How lsm writes JSON everywhere (`--json`, MCP results): sorted keys, ISO 8601 dates, slashes as is.
public enum LsmJSON {
    /// A fresh encoder; `pretty` adds line breaks and indentation for people.
    public static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}
