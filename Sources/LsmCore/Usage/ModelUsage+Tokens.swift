import LsmStore

extension ModelUsage {
    /// The summed tokens as `TokenUsage`.
    var tokens: TokenUsage {
        TokenUsage(input: input, output: output, cacheWrite5m: cacheWrite5m, cacheWrite1h: cacheWrite1h, cacheRead: cacheRead)
    }

    /// What these tokens cost with `price`, at the tier the calls were billed at.
    func cost(with price: ModelPrice?) -> Double? {
        price?.cost(of: tokens, longContext: longContext)
    }
}
