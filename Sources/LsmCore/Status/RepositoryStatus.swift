import Foundation

/// What `git lsm status` reports about a repository.
public struct RepositoryStatus: Sendable, Equatable, Encodable {
    /// HEAD's state.
    public struct HeadState: Sendable, Equatable, Encodable {
        /// Where HEAD points.
        public enum State: String, Sendable, Encodable {
            case branch
            case detached
            /// On a branch with no commits yet.
            case unborn
        }

        public var state: State
        public var branch: String?
        public var commit: String?
        public var subject: String?

        public init(state: State, branch: String?, commit: String?, subject: String?) {
            self.state = state
            self.branch = branch
            self.commit = commit
            self.subject = subject
        }
    }

    /// What the index knows of this repository.
    public struct IndexState: Sendable, Equatable, Encodable {
        /// The index database file.
        public var path: String
        /// When lsm first saw this repository.
        public var firstSeenAt: Date
    }

    /// Whether lsm's git hooks record sessions on commits here.
    public struct HooksState: Sendable, Equatable, Encodable {
        /// post-commit and post-rewrite are installed (and current).
        public var recording: Bool
        /// prepare-commit-msg adds `LSM-Session` trailers.
        public var trailer: Bool
        /// Claude Code's hooks report to lsm (`installed`, `partial`, `absent`).
        public var agentHooks: String
    }

    /// The comment threads of the repository (from `refs/lsm/comments/`, fetched ones included).
    public struct CommentCounts: Sendable, Equatable, Encodable {
        /// Threads neither resolved nor deleted.
        public var open: Int
        public var resolved: Int
    }

    /// The work tree's root; `nil` for a bare repository.
    public var root: String?
    public var gitDir: String
    public var commonDir: String
    public var bare: Bool
    public var linkedWorktree: Bool
    public var head: HeadState
    public var index: IndexState
    /// `nil` in a bare repository, which runs no commit hooks.
    public var hooks: HooksState?
    public var comments: CommentCounts
    /// The repository's agent sessions: this branch's first, then the rest, most recent first.
    public var sessions: [SessionSummary]
}
