/// A session as the index knows it, with its usage summed over the calls that count.
public struct SessionRecord: Sendable, Equatable {
    public var key: String
    public var agent: String
    public var id: String
    public var cwd: String?
    public var branch: String?
    public var agentVersion: String?
    public var title: String?
    public var parentID: String?
    public var startedAt: Double?
    public var lastActivityAt: Double?
    public var repoWorkDir: String?
    public var repoCommonDir: String?
    /// Usage per model and pricing tier.
    public var usage: [ModelUsage] = []
    /// The last main-chain call: the model it used and how full its prompt was.
    public var lastCall: LastCall?
    public var compactions = 0
    /// Tool calls, failed tool calls, failed API requests, and prompts the user interrupted.
    public var toolCalls = 0
    public var toolErrors = 0
    public var apiErrors = 0
    public var interruptions = 0
    /// For agents that record no API calls: the model and the context they report.
    public var reportedModel: String?
    public var reportedContextTokens: Int?
    public var reportedContextWindow: Int?
}

/// Summed usage of one session's calls to one model, split by whether the prompt exceeded
/// 200,000 tokens (billed at a higher rate by some vendors).
public struct ModelUsage: Sendable, Equatable {
    public var model: String
    public var longContext: Bool
    public var calls: Int
    public var input: Int
    public var output: Int
    public var cacheWrite5m: Int
    public var cacheWrite1h: Int
    public var cacheRead: Int
}

/// The latest main-chain call of a session.
public struct LastCall: Sendable, Equatable {
    public var model: String
    public var timestamp: Double?
    /// The prompt it sent: fresh input plus cache writes and reads (or what the agent reported).
    public var promptTokens: Int
    /// The context window the agent reported, if it did.
    public var contextWindow: Int?
}

/// Which sessions to list.
public struct SessionFilter: Sendable, Equatable {
    /// Only sessions of the repository with this common dir.
    public var repoCommonDir: String?
    public var agent: String?
    /// Only sessions active at or after this time (seconds since 1970).
    public var activeSince: Double?
    /// Only the session with exactly this key.
    public var key: String?
    /// Only sessions whose key is or starts with this (for `git lsm show <prefix>`).
    public var keyPrefix: String?
    /// Only sessions whose native id starts with this.
    public var idPrefix: String?

    public init(
        repoCommonDir: String? = nil, agent: String? = nil, activeSince: Double? = nil, keyPrefix: String? = nil, idPrefix: String? = nil
    ) {
        self.repoCommonDir = repoCommonDir
        self.agent = agent
        self.activeSince = activeSince
        self.keyPrefix = keyPrefix
        self.idPrefix = idPrefix
    }
}

/// A session's timeline: its events and the files its tools touched.
public struct SessionDetail: Sendable, Equatable {
    public struct Event: Sendable, Equatable {
        public var kind: String
        public var timestamp: Double?
        public var text: String
        public var tokens: Int?
    }

    public struct ToolUse: Sendable, Equatable {
        public var tool: String
        public var path: String
        public var count: Int
    }

    public var events: [Event]
    public var toolUses: [ToolUse]
}
