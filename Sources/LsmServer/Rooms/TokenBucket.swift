import Foundation

/// A token bucket: `capacity` messages at once, refilled at `rate` per second.
struct TokenBucket: Sendable {
    let capacity: Double
    let rate: Double
    private var tokens: Double
    private var last: ContinuousClock.Instant

    init(capacity: Int, rate: Double, now: ContinuousClock.Instant) {
        self.capacity = Double(capacity)
        self.rate = rate
        self.tokens = Double(capacity)
        self.last = now
    }

    /// Takes one token; false when the bucket is empty.
    mutating func take(at now: ContinuousClock.Instant) -> Bool {
        let elapsed = last.duration(to: now)
        last = now
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        tokens = min(capacity, tokens + max(0, seconds) * rate)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
