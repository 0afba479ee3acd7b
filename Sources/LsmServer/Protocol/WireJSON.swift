import Foundation
import LsmStore

/// The JSON the server sends: one encoder, and event frames assembled around the stored payload
/// so a broadcast never re-encodes it.
enum WireJSON {
    /// The protocol version in `hello` and `welcome`.
    static let version = 1

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func encode(_ value: some Encodable) -> String {
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    /// `{"type":"event",…}` for a persisted event; `data` is the stored payload, verbatim.
    static func eventFrame(_ event: RoomEvent) -> String {
        let clientID = event.clientID.map(quoted) ?? "null"
        let at = Int64((event.createdAt.timeIntervalSince1970 * 1000).rounded())
        return """
            {"type":"event","seq":\(event.sequence),"kind":\(quoted(event.kind)),"author":\(quoted(event.author)),\
            "clientId":\(clientID),"at":\(at),"data":\(event.payload)}
            """
    }

    /// `text` as a JSON string literal.
    static func quoted(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
