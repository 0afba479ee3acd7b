import Foundation
import Logging
import LsmCore
import LsmGit
import LsmStore

/// What every room of one server shares: the store, the repository, the limits and the clock.
struct RoomContext: Sendable {
    let store: any RoomStore
    let limits: ServerLimits
    /// The repository's work tree (or git dir when bare), reopened for each git operation since
    /// `Repository` is not `Sendable`.
    let repositoryPath: String
    /// The server's environment, for git configuration.
    let environment: [String: String]
    let now: @Sendable () -> Date
    let logger: Logger

    func openRepository() throws(LsmError) -> Repository {
        do { return try Repository.open(at: repositoryPath) } catch { throw LsmError.wrapping(error) }
    }

    /// The comment use cases acting as `claims`' member: the same code and git refs as the CLI's.
    func commentBoard(as member: String, name: String) -> CommentBoard {
        var environment = self.environment
        environment["GIT_AUTHOR_NAME"] = name
        environment["GIT_AUTHOR_EMAIL"] = "\(member)@review.lsm.invalid"
        return CommentBoard(workspace: Workspace(directory: repositoryPath, environment: environment, now: now))
    }
}
