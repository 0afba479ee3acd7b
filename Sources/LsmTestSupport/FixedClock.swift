import Foundation

/// A clock that says what the test tells it to.
public final class FixedClock: @unchecked Sendable {
    private var current: Date
    private let lock = NSLock()

    public init(_ date: Date = HermeticGit.baseDate) {
        current = date
    }

    /// The current time.
    public func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    /// Moves the clock forward.
    public func advance(by seconds: TimeInterval) {
        lock.lock()
        defer { lock.unlock() }
        current += seconds
    }
}
