import Foundation

/// A message a client sends over the room's WebSocket (docs/protocol.md). One flat shape: `type`
/// says which of the optional fields matter.
struct ClientMessage: Decodable, Sendable {
    var type: String
    /// The protocol version, in `hello`.
    var v: Int?
    /// The last sequence number the client has, in `hello`.
    var lastSeq: Int64?
    /// The client's id for a persisted write; a retry with the same id is applied once.
    var clientId: String?
    var text: String?
    /// The chat message (sequence number) a chat message replies to or a reaction is on.
    var replyTo: Int64?
    var target: Int64?
    var emoji: String?
    var remove: Bool?
    var path: String?
    var line: Int?
    var endLine: Int?
    var blob: String?
    var thread: String?
    var comment: String?
    var resolved: Bool?
    var active: Bool?
    var state: String?
    /// The member to follow (`follow`); absent or null stops following.
    var member: String?
    /// A shared session's summary (`session`), stored as sent.
    var session: JSONValue?
}

/// Any JSON value, kept as decoded, for payloads lsm stores without interpreting.
enum JSONValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
