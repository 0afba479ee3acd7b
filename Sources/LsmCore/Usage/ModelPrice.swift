/// What a model costs per million tokens, and how large its context window is.
public struct ModelPrice: Sendable, Equatable, Codable {
    /// Rates for one pricing tier, USD per million tokens.
    public struct Rates: Sendable, Equatable, Codable {
        public var input: Double
        public var output: Double
        public var cacheWrite5m: Double?
        /// Defaults to twice the input rate.
        public var cacheWrite1h: Double?
        public var cacheRead: Double?

        public init(input: Double, output: Double, cacheWrite5m: Double? = nil, cacheWrite1h: Double? = nil, cacheRead: Double? = nil) {
            self.input = input
            self.output = output
            self.cacheWrite5m = cacheWrite5m
            self.cacheWrite1h = cacheWrite1h
            self.cacheRead = cacheRead
        }

        /// The cost of `usage` at these rates.
        func cost(of usage: TokenUsage) -> Double {
            let perToken = 1.0 / 1_000_000
            let inputCost = Double(usage.input) * input
            let outputCost = Double(usage.output) * output
            let writeCost = Double(usage.cacheWrite5m) * (cacheWrite5m ?? input) + Double(usage.cacheWrite1h) * (cacheWrite1h ?? 2 * input)
            let readCost = Double(usage.cacheRead) * (cacheRead ?? input)
            return (inputCost + outputCost + writeCost + readCost) * perToken
        }
    }

    public var input: Double
    public var output: Double
    public var cacheWrite5m: Double?
    public var cacheWrite1h: Double?
    public var cacheRead: Double?
    /// The context window in tokens, when known.
    public var contextWindow: Int?
    /// The window of the model's long-context variant (used when a prompt is seen to exceed
    /// `contextWindow`).
    public var largeContextWindow: Int?
    /// Rates for a request whose prompt exceeds 200,000 tokens, where the vendor charges more.
    public var above200k: Rates?

    /// The standard-tier rates.
    public var rates: Rates {
        Rates(input: input, output: output, cacheWrite5m: cacheWrite5m, cacheWrite1h: cacheWrite1h, cacheRead: cacheRead)
    }

    /// The cost of calls whose summed usage is `usage`; `longContext` when their prompts were over
    /// 200,000 tokens (then the whole request is billed at the higher tier, as Anthropic does).
    public func cost(of usage: TokenUsage, longContext: Bool) -> Double {
        (longContext ? above200k ?? rates : rates).cost(of: usage)
    }
}
