import Clibgit2

/// The order in which `Repository.history` yields commits.
public enum HistoryOrder: Sendable {
    /// Newest first by commit time, parents never before children (git log's default order).
    case topologicalByTime
    /// Oldest first.
    case reverse
}

extension Repository {
    /// Commits reachable from `tips` and not from `excluding`, as `git log tips ^excluding` lists them.
    public func history(
        from tips: [ObjectID], excluding: [ObjectID] = [], firstParentOnly: Bool = false,
        order: HistoryOrder = .topologicalByTime, limit: Int? = nil
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
        while limit.map({ commits.count < $0 }) ?? true {
            let result = git_revwalk_next(&oid, walker)
            if result == GIT_ITEROVER.rawValue { break }
            try GitError.check(result, "git_revwalk_next")
            commits.append(try commit(ObjectID(oid)))
        }
        return commits
    }
}
