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

    /// The work tree's root; `nil` for a bare repository.
    public var root: String?
    public var gitDir: String
    public var commonDir: String
    public var bare: Bool
    public var linkedWorktree: Bool
    public var head: HeadState
    public var index: IndexState
    /// The repository's agent sessions: this branch's first, then the rest, most recent first.
    public var sessions: [SessionSummary]
}
