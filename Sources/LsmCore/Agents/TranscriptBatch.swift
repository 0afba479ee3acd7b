import Foundation

/// What a reader found in one stretch of one transcript file: the normalized events of every agent.
///
/// Readers append here instead of returning an event per line, so a file of a million lines costs a
/// few arrays, not a million allocations.
public struct TranscriptBatch: Sendable, Equatable {
    /// What the records say about a session: where it ran and when.
    public struct SessionFacts: Sendable, Equatable {
        public var id: String
        public var cwd: String?
        public var branch: String?
        public var agentVersion: String?
        public var title: String?
        public var firstAt: Date?
        public var lastAt: Date?
        /// The session this one was forked from or is a subagent of, if the records say.
        public var parentID: String?
        /// The model in use, for agents that name it but record no API calls (Cursor, Copilot).
        public var model: String?
        /// Context tokens in use and the window, for agents that report them outside API calls.
        public var contextTokens: Int?
        public var contextWindow: Int?

        public init(id: String) {
            self.id = id
        }

        /// Widens the time span to include `date`.
        mutating func saw(_ date: Date?) {
            guard let date else { return }
            if firstAt.map({ date < $0 }) ?? true { firstAt = date }
            if lastAt.map({ date > $0 }) ?? true { lastAt = date }
        }
    }

    /// One billed model request, after the reader's own de-duplication within the file.
    public struct APICall: Sendable, Equatable {
        /// What identifies the request across files: Claude's `message.id` and `requestId`; for Codex,
        /// the session, time and cumulative total of the token count.
        public var key: String
        /// Claude's `message.id`, for the rule that a main-chain copy beats a side-chain copy.
        public var messageID: String?
        public var sessionID: String
        public var model: String
        public var timestamp: Date?
        public var usage: TokenUsage
        /// Whether the call ran on a side chain (a subagent or side question) rather than the main
        /// conversation; side-chain calls never set the context fill.
        public var isSidechain: Bool
        /// The model's context window as the agent reported it, when it did (Codex does).
        public var contextWindow: Int?
        /// The prompt size this call reports for context fill, when it differs from `usage.prompt`
        /// (Codex reports the last request's total separately from the cumulative usage).
        public var contextTokens: Int?
        /// Where the copy is in its file (the byte offset of its line): of equal copies in several
        /// files, the first in path and position order counts, whatever order the files are read in.
        public var position: UInt64 = 0
    }

    /// Something that happened in a session, shown in `git lsm show` and counted in summaries.
    public struct Event: Sendable, Equatable {
        public enum Kind: String, Sendable, Equatable {
            case prompt
            case toolCall = "tool"
            /// A tool call that failed (a command that exited non-zero, an edit that did not apply).
            case toolError = "tool-error"
            case compaction
            /// An API error: a failed or refused model request.
            case error
            /// The user stopped the agent mid-turn.
            case interruption
        }

        /// What identifies the event across files (Claude's record `uuid`), so a resumed session
        /// that replays earlier records does not count them twice; `nil` when the record has none.
        public var key: String?
        public var sessionID: String
        public var kind: Kind
        public var timestamp: Date?
        /// The prompt (shortened), the tool name, the compaction trigger, or the error text.
        public var text: String
        /// Files a tool call touched.
        public var paths: [String] = []
        /// Tokens in context when a compaction happened.
        public var tokens: Int?
    }

    public var sessions: [String: SessionFacts] = [:]
    public var calls: [APICall] = []
    /// Where each call key sits in `calls`.
    var callIndex: [String: Int] = [:]
    public var events: [Event] = []
    /// Complete lines read.
    public var lines = 0
    /// Lines that were not JSON lsm could read, skipped and counted.
    public var malformedLines = 0

    public init() {}

    mutating func update(_ id: String, _ change: (inout SessionFacts) -> Void) {
        var facts = sessions[id] ?? SessionFacts(id: id)
        change(&facts)
        sessions[id] = facts
    }
}
