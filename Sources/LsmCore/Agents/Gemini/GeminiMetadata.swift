import Foundation

/// The session fields of a Gemini CLI chat: its first record, later `$set` updates, or the top of a
/// legacy `.json` document (`ConversationRecord`).
struct GeminiMetadata: Equatable {
    var sessionID: String?
    var projectHash: String?
    var startTime: Date?
    var lastUpdated: Date?
    var summary: String?
    /// `main` or `subagent`.
    var kind: String?
    /// Workspace folders added with `/dir add`.
    var directories: [String]?

    /// Reads one field; returns whether the key is a metadata field.
    @discardableResult
    mutating func read(key: JSONKey, value: inout JSONCursor) -> Bool {
        if key.equals("sessionId") {
            sessionID = value.readString()
        } else if key.equals("projectHash") {
            projectHash = value.readString()
        } else if key.equals("startTime") {
            startTime = value.readTimestamp()
        } else if key.equals("lastUpdated") {
            lastUpdated = value.readTimestamp()
        } else if key.equals("summary") {
            summary = value.readString(maxBytes: ClaudeCodeReader.decodeLimit)
        } else if key.equals("kind") {
            kind = value.readString()
        } else if key.equals("directories") {
            var found: [String] = []
            value.forEachElement { element in
                if let directory = element.readString() { found.append(directory) }
            }
            directories = found
        } else {
            return false
        }
        return true
    }

    /// Applies an update: every field it sets replaces this one's (`$set` semantics).
    mutating func merge(_ update: GeminiMetadata) {
        sessionID = update.sessionID ?? sessionID
        projectHash = update.projectHash ?? projectHash
        startTime = update.startTime ?? startTime
        lastUpdated = update.lastUpdated ?? lastUpdated
        summary = update.summary ?? summary
        kind = update.kind ?? kind
        directories = update.directories ?? directories
    }
}
