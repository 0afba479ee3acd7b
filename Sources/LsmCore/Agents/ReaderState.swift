/// Where a reader stands in a transcript file after the lines it has read, saved with the file's
/// offset so the next run continues exactly where this one stopped.
public struct ReaderState: Sendable, Equatable, Codable {
    /// The session the file's records belong to when a record does not say.
    public var sessionID: String?
    public var cwd: String?
    public var branch: String?
    public var agentVersion: String?
    /// The model in use (Codex names it once per turn, not per call).
    public var model: String?
    /// Codex: the model's context window, when reported.
    public var contextWindow: Int?
    /// Codex: the cumulative usage counted so far, from which the next token count is a delta.
    public var codexTotals: CodexTotals?
    /// Codex: the second (since 1970) the fork was created in, while its replayed prefix lasts.
    public var codexReplaySecond: Int64?
    /// Codex: how many `session_meta` records were seen (a fork starts with two).
    public var codexMetaCount = 0
    /// Codex: whether the file holds only a session's parent records so far.
    public var codexSawOwnTokenCount = false

    public init(sessionID: String? = nil) {
        self.sessionID = sessionID
    }
}

/// Codex's cumulative token counters.
public struct CodexTotals: Sendable, Equatable, Codable {
    public var input: Int
    public var cachedInput: Int
    public var output: Int
}
