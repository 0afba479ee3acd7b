import Foundation

/// One session as `git lsm list` and `status` show it; its JSON form is documented in docs/json.md.
public struct SessionSummary: Sendable, Equatable, Encodable {
    /// Usage in the four categories every agent's tokens are normalized to, and their sum.
    public struct Usage: Sendable, Equatable, Encodable {
        public var input: Int
        public var output: Int
        public var cacheWrite: Int
        public var cacheRead: Int
        public var total: Int

        init(_ usage: TokenUsage) {
            input = usage.input
            output = usage.output
            cacheWrite = usage.cacheWrite
            cacheRead = usage.cacheRead
            total = usage.total
        }
    }

    /// The agent's own session id.
    public var id: String
    public var agent: String
    public var cwd: String?
    /// The work tree of the repository the session ran in, or `nil`.
    public var repo: String?
    public var branch: String?
    /// The model of the latest call.
    public var model: String?
    public var title: String?
    public var agentVersion: String?
    public var startedAt: Date?
    public var lastActivityAt: Date?
    /// `nil` for an agent that records no billed usage (lsm never estimates it).
    public var usage: Usage?
    /// `nil` when a call used a model without a known price, or usage is not recorded.
    public var costUSD: Double?
    /// API calls, after de-duplication.
    public var calls: Int
    /// The last main-chain call's prompt over the model's context window, 0–1; `nil` when unknown.
    public var contextFill: Double?
    public var contextTokens: Int?
    public var contextWindow: Int?
    public var compactions: Int
    /// Models used without a known price.
    public var unpricedModels: [String]
    /// Usage and cost per model.
    public var models: [ModelSummary]
    /// Whether the session is running now.
    public var live: Bool
    public var health: SessionHealth
    public var toolCalls: Int
    public var toolErrors: Int
    public var apiErrors: Int
    public var interruptions: Int

    private enum CodingKeys: String, CodingKey {
        case id, agent, cwd, repo, branch, model, title, agentVersion, startedAt, lastActivityAt, usage, costUSD, calls
        case contextFill, contextTokens, contextWindow, compactions, unpricedModels, models, live, health
        case toolCalls, toolErrors, apiErrors, interruptions
    }

    /// Every key is written, `null` included: a missing number is stated, not left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(agent, forKey: .agent)
        try container.encode(cwd, forKey: .cwd)
        try container.encode(repo, forKey: .repo)
        try container.encode(branch, forKey: .branch)
        try container.encode(model, forKey: .model)
        try container.encode(title, forKey: .title)
        try container.encode(agentVersion, forKey: .agentVersion)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(lastActivityAt, forKey: .lastActivityAt)
        try container.encode(usage, forKey: .usage)
        try container.encode(costUSD, forKey: .costUSD)
        try container.encode(calls, forKey: .calls)
        try container.encode(contextFill, forKey: .contextFill)
        try container.encode(contextTokens, forKey: .contextTokens)
        try container.encode(contextWindow, forKey: .contextWindow)
        try container.encode(compactions, forKey: .compactions)
        try container.encode(unpricedModels, forKey: .unpricedModels)
        try container.encode(models, forKey: .models)
        try container.encode(live, forKey: .live)
        try container.encode(health, forKey: .health)
        try container.encode(toolCalls, forKey: .toolCalls)
        try container.encode(toolErrors, forKey: .toolErrors)
        try container.encode(apiErrors, forKey: .apiErrors)
        try container.encode(interruptions, forKey: .interruptions)
    }
}

/// A session's usage of one model.
public struct ModelSummary: Sendable, Equatable, Encodable {
    public var model: String
    public var calls: Int
    public var usage: SessionSummary.Usage
    public var costUSD: Double?

    private enum CodingKeys: String, CodingKey {
        case model, calls, usage, costUSD
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encode(calls, forKey: .calls)
        try container.encode(usage, forKey: .usage)
        try container.encode(costUSD, forKey: .costUSD)
    }
}
