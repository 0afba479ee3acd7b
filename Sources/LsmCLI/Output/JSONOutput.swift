import Foundation
import LsmCore

/// The one JSON encoding every `--json` output uses: sorted keys, ISO 8601 dates, pretty-printed.
enum JSONOutput {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try LsmJSON.encoder(pretty: true).encode(value), as: UTF8.self)
    }
}
