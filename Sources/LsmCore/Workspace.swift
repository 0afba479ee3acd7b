import Foundation
import LsmGit
import LsmStore

/// Where an lsm command runs: its working directory and environment. Use cases take this instead of
/// reading the process's globals, so tests can run them hermetically and in parallel.
public struct Workspace: Sendable {
    /// The directory the command runs in (after `-C`).
    public var directory: String
    /// The environment variables the command sees.
    public var environment: [String: String]
    /// The current time; tests fix it.
    public var now: @Sendable () -> Date

    public init(directory: String, environment: [String: String], now: @escaping @Sendable () -> Date = { Date() }) {
        self.directory = directory
        self.environment = environment
        self.now = now
    }

    /// Where the per-user index lives.
    public var indexLocation: IndexLocation { IndexLocation(environment: environment) }

    /// Opens the repository this command was run in, as git would find it.
    public func openRepository() throws(LsmError) -> Repository {
        guard let repository = try openRepositoryIfPresent() else { throw LsmError.notARepository(directory) }
        return repository
    }

    /// Opens the repository this command was run in; `nil` when it runs outside any repository.
    public func openRepositoryIfPresent() throws(LsmError) -> Repository? {
        do {
            return try Repository.openFromEnvironment(startingAt: directory, environment: environment)
        } catch let error where error.code == .notFound {
            return nil
        } catch let error where error.code == .owner {
            throw LsmError(
                .user, "repository \(directory) is owned by someone else",
                hint: "mark it safe with git config --global --add safe.directory <path>", cause: error.message)
        } catch let error where error.isConfigurationError {
            throw LsmError.unreadableConfig(error)
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    /// Opens the per-user index database.
    public func openIndex() throws(LsmError) -> IndexDatabase {
        do {
            return try IndexDatabase(location: indexLocation)
        } catch {
            throw LsmError.wrapping(error)
        }
    }
}
