import Foundation
import LsmStore

/// `show --json` (and the MCP `get_session` tool): the session's summary keys plus its timeline.
public struct SessionDetailJSON: Encodable, Sendable {
    struct Event: Encodable {
        var kind: String
        var timestamp: Date?
        var text: String
        var tokens: Int?
    }

    struct File: Encodable {
        var tool: String
        var path: String?
        var count: Int
    }

    /// Where an imported session came from.
    public struct Imported: Encodable, Sendable {
        public var origin: String
        public var importedAt: Date

        public init(origin: String, importedAt: Date) {
            self.origin = origin
            self.importedAt = importedAt
        }
    }

    public var summary: SessionSummary
    public var detail: SessionDetail
    /// The commits the session is tied to (`SessionCommits`).
    public var commits: [SessionCommits.Linked]
    /// `nil` unless the session came from `git lsm import`.
    public var imported: Imported?

    public init(summary: SessionSummary, detail: SessionDetail, commits: [SessionCommits.Linked], imported: Imported? = nil) {
        self.summary = summary
        self.detail = detail
        self.commits = commits
        self.imported = imported
    }

    public func encode(to encoder: any Encoder) throws {
        try summary.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(
            detail.events.map {
                Event(kind: $0.kind, timestamp: $0.timestamp.map(Date.init(timeIntervalSince1970:)), text: $0.text, tokens: $0.tokens)
            },
            forKey: .events)
        try container.encode(
            detail.toolUses.map { File(tool: $0.tool, path: $0.path.isEmpty ? nil : $0.path, count: $0.count) }, forKey: .tools)
        try container.encode(commits, forKey: .commits)
        try container.encode(imported, forKey: .imported)
    }

    private enum Keys: String, CodingKey {
        case events
        case tools
        case commits
        case imported
    }
}
