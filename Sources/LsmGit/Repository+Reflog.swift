import Clibgit2

/// One entry of a reference's reflog: the move and git's description of it (e.g. `commit (amend): …`).
public struct ReflogEntry: Sendable, Equatable {
    public let oldTarget: ObjectID?
    public let newTarget: ObjectID
    public let message: String
}

extension Repository {
    /// The newest `limit` entries of `reference`'s reflog (e.g. `HEAD`), newest first; empty when it
    /// has none.
    public func reflogEntries(of reference: String, limit: Int) throws(GitError) -> [ReflogEntry] {
        var reflog: OpaquePointer?
        try GitError.check(git_reflog_read(&reflog, pointer, reference), "git_reflog_read")
        defer { git_reflog_free(reflog) }
        let count = min(git_reflog_entrycount(reflog), max(limit, 0))
        return (0..<count).compactMap { index in
            guard let entry = git_reflog_entry_byindex(reflog, index) else { return nil }
            let old = ObjectID(git_reflog_entry_id_old(entry))
            return ReflogEntry(
                oldTarget: old.bytes.allSatisfy { $0 == 0 } ? nil : old,
                newTarget: ObjectID(git_reflog_entry_id_new(entry)),
                message: git_reflog_entry_message(entry).map { String(cString: $0) } ?? "")
        }
    }
}
