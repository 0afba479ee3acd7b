import Foundation
import LsmCore
import MCP

/// lsm's values as MCP `Value`s, encoded exactly as `--json` encodes them (ISO 8601 dates, same keys).
enum ValueEncoding {
    static func value<T: Encodable>(_ value: T) throws(LsmError) -> Value {
        do {
            let data = try LsmJSON.encoder(pretty: false).encode(value)
            return try JSONDecoder().decode(Value.self, from: data)
        } catch {
            throw LsmError(.internal, "cannot encode the result", cause: "\(error)")
        }
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
