import Clibgit2
import Foundation

/// The order in which `Repository.history` yields commits.
public enum HistoryOrder: Sendable {
    /// Newest first by commit time, parents never before children (git log's default order).
    case topologicalByTime
    /// Oldest first.
    case reverse
}

extension Repository {
    /// Commits reachable from `tips` and not from `excluding`, as `git log tips ^excluding` lists them.
    /// With `committedSince`, only commits whose committer date is at or after it, and (newest first)
    /// the walk stops after a few older ones in a row, as `git log --since` does.
    public func history(
        from tips: [ObjectID], excluding: [ObjectID] = [], firstParentOnly: Bool = false,
        order: HistoryOrder = .topologicalByTime, limit: Int? = nil, committedSince: Date? = nil
    ) throws(GitError) -> [Commit] {
        var walker: OpaquePointer?
        try GitError.check(git_revwalk_new(&walker, pointer), "git_revwalk_new")
        defer { git_revwalk_free(walker) }
        var sorting = GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue
        if order == .reverse { sorting |= GIT_SORT_REVERSE.rawValue }
        try GitError.check(git_revwalk_sorting(walker, sorting), "git_revwalk_sorting")
        if firstParentOnly { try GitError.check(git_revwalk_simplify_first_parent(walker), "git_revwalk_simplify_first_parent") }
        for tip in tips {
            var oid = tip.raw
            try GitError.check(git_revwalk_push(walker, &oid), "git_revwalk_push")
        }
        for hidden in excluding {
            var oid = hidden.raw
            try GitError.check(git_revwalk_hide(walker, &oid), "git_revwalk_hide")
        }
        var commits: [Commit] = []
        var oid = git_oid()
        // Commit dates can be out of order (clock skew, rebases): git gives up after five older ones.
        var olderInARow = 0
        while limit.map({ commits.count < $0 }) ?? true {
            let result = git_revwalk_next(&oid, walker)
            if result == GIT_ITEROVER.rawValue { break }
            try GitError.check(result, "git_revwalk_next")
            let found = try commit(ObjectID(oid))
            if let committedSince, found.committer.date < committedSince {
                olderInARow += 1
                if order == .topologicalByTime, olderInARow > 5 { break }
                continue
            }
            olderInARow = 0
            commits.append(found)
        }
        return commits
    }
}

/// What a revision expression such as `main..HEAD` or `v1.0` selects for a walk.
public struct RevisionRange: Sendable, Equatable {
    /// Commits to walk from.
    public let tips: [ObjectID]
    /// Commits (and their ancestors) to leave out.
    public let excluded: [ObjectID]
}

extension Repository {
    /// Parses a revision expression as `git log` takes it: `A..B` (B without A's history), `A...B`
    /// (either side, without their merge base's history), or a single revision (its whole history).
    public func revisionRange(_ expression: String) throws(GitError) -> RevisionRange {
        if let range = expression.range(of: "...") {
            let left = try resolveCommit(String(expression[..<range.lowerBound]).orHead).id
            let right = try resolveCommit(String(expression[range.upperBound...]).orHead).id
            var base = git_oid()
            var leftOID = left.raw
            var rightOID = right.raw
            let result = git_merge_base(&base, pointer, &leftOID, &rightOID)
            if result == GIT_ENOTFOUND.rawValue { return RevisionRange(tips: [left, right], excluded: []) }
            try GitError.check(result, "git_merge_base")
            return RevisionRange(tips: [left, right], excluded: [ObjectID(base)])
        }
        if let range = expression.range(of: "..") {
            let excluded = try resolveCommit(String(expression[..<range.lowerBound]).orHead).id
            let tip = try resolveCommit(String(expression[range.upperBound...]).orHead).id
            return RevisionRange(tips: [tip], excluded: [excluded])
        }
        return RevisionRange(tips: [try resolveCommit(expression).id], excluded: [])
    }
}

extension String {
    /// An empty side of `A..B` means HEAD, as in git.
    fileprivate var orHead: String { isEmpty ? "HEAD" : self }
}
