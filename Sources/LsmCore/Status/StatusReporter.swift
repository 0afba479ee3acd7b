import Foundation
import LsmGit
import LsmStore

/// Builds `git lsm status`'s report for the repository a workspace is in.
public struct StatusReporter: Sendable {
    public let workspace: Workspace
    /// Threads folded by earlier reports, when the caller keeps them (the MCP server).
    public let threadCache: CommentThreadCache?

    public init(workspace: Workspace, threadCache: CommentThreadCache? = nil) {
        self.workspace = workspace
        self.threadCache = threadCache
    }

    /// Reads the state of `repository` (the workspace's) and its sessions, and records in the index
    /// that lsm has seen it. `progress` reports a long first index.
    public func status(of repository: Repository, progress: (@Sendable (Int64, Int64) -> Void)? = nil) throws(LsmError)
        -> RepositoryStatus
    {
        try status(of: repository, catalog: workspace.refreshedCatalog(progress: progress).0)
    }

    /// The same report over a catalog the caller keeps current (the MCP server's).
    public func status(of repository: Repository, catalog: SessionCatalog) throws(LsmError) -> RepositoryStatus {
        let head: RepositoryStatus.HeadState
        do {
            head = try Self.headState(repository)
        } catch {
            throw LsmError.wrapping(error)
        }
        let index = catalog.index
        let sessions = try catalog.sessions(SessionFilter(repoCommonDir: repository.commonDirectory))
        let branch = head.branch
        // This branch's sessions first; within each group the catalog's order (most recent first) holds.
        let ordered = sessions.filter { $0.branch == branch && branch != nil } + sessions.filter { $0.branch != branch || branch == nil }
        let firstSeenAt: Date
        do {
            firstSeenAt = try index.noteRepository(
                commonDir: repository.commonDirectory, workDir: repository.workDirectory, at: workspace.now()
            ).firstSeenAt
        } catch {
            throw LsmError.wrapping(error)
        }
        let hooks: RepositoryStatus.HooksState?
        if repository.isBare {
            hooks = nil
        } else {
            let report = try HookInstaller(workspace: workspace).status(of: repository)
            hooks = .init(
                recording: report.recording, trailer: report.hooks.contains { $0.hook == .prepareCommitMessage && $0.state == .installed },
                agentHooks: report.agentHooks.rawValue)
        }
        let threads = try CommentStore(repository: repository, cache: threadCache).threads().filter { !$0.deleted }
        let comments = RepositoryStatus.CommentCounts(
            open: threads.filter { !$0.resolved }.count, resolved: threads.filter(\.resolved).count)
        return RepositoryStatus(
            root: repository.workDirectory,
            gitDir: repository.gitDirectory,
            commonDir: repository.commonDirectory,
            bare: repository.isBare,
            linkedWorktree: repository.isLinkedWorktree,
            head: head,
            index: .init(path: index.path, firstSeenAt: firstSeenAt),
            hooks: hooks, comments: comments, sessions: ordered)
    }

    static func headState(_ repository: Repository) throws(GitError) -> RepositoryStatus.HeadState {
        switch try repository.head() {
        case .branch(let name, let commit):
            let subject = try repository.commit(commit).summary
            return .init(state: .branch, branch: name, commit: commit.hex, subject: subject)
        case .detached(let commit):
            let subject = try repository.commit(commit).summary
            return .init(state: .detached, branch: nil, commit: commit.hex, subject: subject)
        case .unborn(let branch):
            return .init(state: .unborn, branch: branch, commit: nil, subject: nil)
        }
    }
}
