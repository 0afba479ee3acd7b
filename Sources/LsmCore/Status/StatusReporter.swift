import Foundation
import LsmGit

/// Builds `git lsm status`'s report for the repository a workspace is in.
public struct StatusReporter: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// Reads the state of `repository` (the workspace's) and records in the index that lsm has seen it.
    public func status(of repository: Repository) throws(LsmError) -> RepositoryStatus {
        let head: RepositoryStatus.HeadState
        do {
            head = try Self.headState(repository)
        } catch {
            throw LsmError.wrapping(error)
        }
        let index = try workspace.openIndex()
        let firstSeenAt: Date
        do {
            firstSeenAt = try index.noteRepository(
                commonDir: repository.commonDirectory, workDir: repository.workDirectory, at: workspace.now()
            ).firstSeenAt
        } catch {
            throw LsmError.wrapping(error)
        }
        return RepositoryStatus(
            root: repository.workDirectory,
            gitDir: repository.gitDirectory,
            commonDir: repository.commonDirectory,
            bare: repository.isBare,
            linkedWorktree: repository.isLinkedWorktree,
            head: head,
            index: .init(path: index.path, firstSeenAt: firstSeenAt))
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
