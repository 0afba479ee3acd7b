/// Token counts of one or more API calls, normalized the same way for every agent.
public struct TokenUsage: Sendable, Equatable, Codable {
    /// Fresh input: prompt tokens neither written to nor read from the cache.
    public var input: Int
    /// Output tokens, reasoning included.
    public var output: Int
    /// Prompt tokens written to the cache for 5 minutes.
    public var cacheWrite5m: Int
    /// Prompt tokens written to the cache for 1 hour (billed at twice the input price).
    public var cacheWrite1h: Int
    /// Prompt tokens read from the cache.
    public var cacheRead: Int

    public init(input: Int = 0, output: Int = 0, cacheWrite5m: Int = 0, cacheWrite1h: Int = 0, cacheRead: Int = 0) {
        self.input = input
        self.output = output
        self.cacheWrite5m = cacheWrite5m
        self.cacheWrite1h = cacheWrite1h
        self.cacheRead = cacheRead
    }

    public static let zero = TokenUsage()

    /// All cache writes.
    public var cacheWrite: Int { cacheWrite5m + cacheWrite1h }

    /// Everything the model read as its prompt: what fills the context window.
    public var prompt: Int { input + cacheWrite + cacheRead }

    /// The sum of the four categories, as users see "total tokens".
    public var total: Int { input + output + cacheWrite + cacheRead }

    public static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        TokenUsage(
            input: lhs.input + rhs.input, output: lhs.output + rhs.output, cacheWrite5m: lhs.cacheWrite5m + rhs.cacheWrite5m,
            cacheWrite1h: lhs.cacheWrite1h + rhs.cacheWrite1h, cacheRead: lhs.cacheRead + rhs.cacheRead)
    }

    public static func += (lhs: inout TokenUsage, rhs: TokenUsage) { lhs = lhs + rhs }
}
