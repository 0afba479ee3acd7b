import Foundation
import LsmGit
import LsmStore

/// An error lsm reports to its user: a lowercase message naming the object, and an optional hint
/// saying what to do. Its kind decides the exit code.
public struct LsmError: LocalizedError, Sendable, Equatable {
    /// Whose fault it is, which decides the exit code.
    public enum Kind: Sendable, Equatable {
        /// Bad input or a state the user can change (exit 1).
        case user
        /// Something lsm should have handled (exit 2).
        case `internal`
    }

    public let kind: Kind
    public let message: String
    public let hint: String?
    /// The lower-level failure, shown as a `caused by:` line when it adds something.
    public let cause: String?

    public init(_ kind: Kind = .user, _ message: String, hint: String? = nil, cause: String? = nil) {
        self.kind = kind
        self.message = message
        self.hint = hint
        self.cause = cause
    }

    public var errorDescription: String? { message }

    /// A command that needs a repository ran outside one.
    public static func notARepository(_ directory: String) -> LsmError {
        LsmError(
            .user, "not a git repository (or any parent up to /): \(directory)", hint: "run git lsm inside a repository, or pass -C <path>")
    }

    /// git configuration that cannot be read: the cause names the file and line.
    static func unreadableConfig(_ error: GitError) -> LsmError {
        LsmError(.user, "cannot read git config", hint: "fix the file named above (git config --edit)", cause: error.message)
    }

    /// Translates lower-layer failures into what the user sees.
    public static func wrapping(_ error: any Error) -> LsmError {
        switch error {
        case let error as LsmError:
            return error
        case let error as GitError:
            return LsmError(.internal, "reading the repository failed", cause: "\(error.message) (\(error.function))")
        case let error as StoreError:
            switch error.kind {
            case .cannotOpen:
                return LsmError(
                    .user, "cannot open the index database \(error.path)",
                    hint: "move the file aside; lsm rebuilds the index from the agents' transcripts, or set LSM_HOME to use another folder",
                    cause: error.reason)
            case .queryFailed:
                return LsmError(.internal, "the index database \(error.path) failed", cause: error.reason)
            }
        default:
            return LsmError(.internal, "\(error)")
        }
    }
}
