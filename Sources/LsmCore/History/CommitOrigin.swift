import LsmGit

/// How a commit came to be, read from HEAD's reflog: new work, or history rewritten by git.
public enum CommitOrigin: Sendable, Equatable {
    /// `git commit` (also the first commit, merges and reverts): the sessions at work made it.
    case newWork
    /// `git commit --amend`: `post-rewrite` carries the old commit's note.
    case amend
    /// A commit replayed by `git rebase` or `git pull --rebase`: `post-rewrite` carries the note.
    case rebase
    /// `git cherry-pick`: a copy of another commit, whose note it carries.
    case cherryPick
    /// Anything else that commits (`git am`, `git stash`, tools): not agent work lsm can attribute.
    case other

    /// Classifies git's reflog message for the move of HEAD to the commit.
    public init(reflogMessage message: String) {
        if message.hasPrefix("commit (amend)") {
            self = .amend
        } else if message.hasPrefix("commit") || message.hasPrefix("revert") || message.hasPrefix("merge") {
            self = .newWork
        } else if message.hasPrefix("cherry-pick") {
            self = .cherryPick
        } else if message.hasPrefix("rebase") || message.hasPrefix("pull") || message.contains("(pick)")
            || message.contains("(squash)") || message.contains("(fixup)") || message.contains("(reword)")
        {
            self = .rebase
        } else {
            self = .other
        }
    }

    /// How `commit` came to be, from the newest HEAD reflog entries; `.newWork` when the reflog does
    /// not say (reflogs disabled).
    public static func of(_ commit: ObjectID, in repository: Repository) throws(GitError) -> CommitOrigin {
        guard let entry = try repository.reflogEntries(of: "HEAD", limit: 20).first(where: { $0.newTarget == commit }) else {
            return .newWork
        }
        return CommitOrigin(reflogMessage: entry.message)
    }
}
