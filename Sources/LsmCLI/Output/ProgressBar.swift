import Foundation

/// A one-line progress bar on standard error, for a first index of a large history. Drawn only when
/// standard error is a terminal and there is enough to read to be worth it.
final class ProgressBar: @unchecked Sendable {
    /// Below this many bytes to read, no bar is drawn.
    static let threshold: Int64 = 64 << 20

    private let console: Console
    private let lock = NSLock()
    private var lastDrawn = -1
    private var drew = false

    init(console: Console) {
        self.console = console
    }

    /// The callback to hand to the indexer, or `nil` when no bar should be drawn.
    var callback: (@Sendable (Int64, Int64) -> Void)? {
        guard console.errorIsTerminal else { return nil }
        return { [self] done, total in update(done: done, total: total) }
    }

    private func update(done: Int64, total: Int64) {
        guard total >= Self.threshold else { return }
        let percent = Int(Double(done) / Double(max(total, 1)) * 100)
        lock.lock()
        defer { lock.unlock() }
        guard percent != lastDrawn else { return }
        lastDrawn = percent
        drew = true
        let filled = percent * 30 / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: 30 - filled)
        console.writeError("\rindexing transcripts [\(bar)] \(percent)% of \(total >> 20) MB")
    }

    /// Clears the bar's line, if one was drawn.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drew { console.writeError("\r\u{1B}[K") }
    }
}
