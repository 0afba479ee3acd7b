import Foundation
import LsmGit

/// Folded threads kept between listings by a long-running process (the MCP server). A thread is a
/// fold of the operations reachable from its tips, and commits never change, so the same tips always
/// fold to the same thread: only threads whose refs moved are read and folded again.
public final class CommentThreadCache: @unchecked Sendable {
    private let lock = NSLock()
    private var folded: [[ObjectID]: CommentThread?] = [:]

    public init() {}

    /// The threads of `tips` (by thread id, in order), folding only those not seen with the same tips.
    /// Entries for tips that are gone are dropped, so the cache holds one listing's threads at most.
    func threads(
        _ tips: [(id: String, tips: [ObjectID])], fold: ([ObjectID]) throws(LsmError) -> CommentThread?
    ) throws(LsmError) -> [CommentThread] {
        lock.lock()
        defer { lock.unlock() }
        var kept: [[ObjectID]: CommentThread?] = [:]
        var threads: [CommentThread] = []
        for (_, threadTips) in tips {
            let thread: CommentThread?
            if let known = folded[threadTips] {
                thread = known
            } else {
                thread = try fold(threadTips)
            }
            kept[threadTips] = .some(thread)
            if let thread { threads.append(thread) }
        }
        folded = kept
        return threads
    }
}
