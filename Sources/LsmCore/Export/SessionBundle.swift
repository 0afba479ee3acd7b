import Foundation

/// The JSON export bundle, `lsm.bundle/1` (docs/export.md): one session, lossless. It is plain JSON,
/// laid out one value per line so that it is written and read as a stream: the header (origin,
/// session, commits), the normalized events, then every transcript file line by line, and last the
/// SHA-256 of everything before that last line.
enum SessionBundle {
    static let schema = "lsm.bundle/1"
    static let schemaPrefix = "lsm.bundle/"
    static let firstLine = "{\"schema\":\"\(schema)\","
    static let eventsLine = "\"events\":["
    static let filesLine = "\"files\":["
    static let checksumKey = "\"sha256\":\""

    /// The bundle's `origin`: the machine the session was recorded on. It stays the same through
    /// any number of exports and imports, so it is kept as the first export wrote it.
    struct Origin: Codable, Equatable {
        var host: String
    }

    /// One transcript file's entry (its lines follow it).
    struct FileEntry: Codable, Equatable {
        var agent: String
        /// The root folder's name (`TranscriptRoot`) and the path inside it.
        var root: String
        var path: String
        /// A file the agent's reader needs beside the transcript (VS Code's `workspace.json`, Gemini
        /// CLI's `.project_root`), not a transcript itself.
        var context: Bool
        /// A database (Cursor's) whose records are not lines: listed, not carried.
        var database: Bool
        /// The file's modification time in nanoseconds since 1970, restored on import (agents whose
        /// lines carry no times take the session's time from it).
        var modified: Int64
    }

    /// The encoder of the header lines: compact, keys sorted, ISO 8601 times.
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    static func encode<T: Encodable>(_ value: T) throws(LsmError) -> String {
        do {
            return String(decoding: try encoder().encode(value), as: UTF8.self)
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    /// This machine's name, for `origin.host`.
    static func hostName() -> String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "unknown" }
        let host = String(decoding: name.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return host.isEmpty ? "unknown" : host
    }

    static func timestamp(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }
}
