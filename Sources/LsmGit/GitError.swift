import Clibgit2

/// A failure reported by libgit2, carrying the function that failed and `git_error_last()`'s message.
///
/// The message is read on the thread that made the call, right after it returned, because libgit2 keeps
/// its last error per thread.
public struct GitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, in the terms callers branch on.
    public enum Code: Sendable, Equatable {
        case notFound
        case exists
        case ambiguous
        case locked
        /// A compare-and-swap lost: the reference no longer had the expected value.
        case modified
        case unbornBranch
        case invalidSpec
        case bareRepository
        case owner
        case other(Int32)

        init(_ raw: Int32) {
            switch raw {
            case GIT_ENOTFOUND.rawValue: self = .notFound
            case GIT_EEXISTS.rawValue: self = .exists
            case GIT_EAMBIGUOUS.rawValue: self = .ambiguous
            case GIT_ELOCKED.rawValue: self = .locked
            case GIT_EMODIFIED.rawValue: self = .modified
            case GIT_EUNBORNBRANCH.rawValue: self = .unbornBranch
            case GIT_EINVALIDSPEC.rawValue: self = .invalidSpec
            case GIT_EBAREREPO.rawValue: self = .bareRepository
            case GIT_EOWNER.rawValue: self = .owner
            default: self = .other(raw)
            }
        }
    }

    /// The kind of failure.
    public let code: Code
    /// libgit2's error class (`git_error_t`), 0 when none was set.
    public let errorClass: Int32
    /// libgit2's message, or a description of the failed call when libgit2 gave none.
    public let message: String
    /// The C function that failed, or the LsmGit operation for errors raised in Swift.
    public let function: String

    /// Makes an error raised by LsmGit itself rather than by a libgit2 call.
    public init(code: Code, message: String, function: String) {
        self.code = code
        self.errorClass = 0
        self.message = message
        self.function = function
    }

    /// Reads the calling thread's last libgit2 error for a call that returned `result`.
    init(result: Int32, function: String) {
        self.code = Code(result)
        if let last = git_error_last(), let text = last.pointee.message {
            self.errorClass = last.pointee.klass
            self.message = String(cString: text).trimmingTrailingNewlines()
        } else {
            self.errorClass = 0
            self.message = "\(function) failed with code \(result)"
        }
        self.function = function
    }

    public var description: String { message }

    /// Whether git configuration could not be read or parsed (a broken config file, a bad value).
    public var isConfigurationError: Bool { errorClass == Int32(GIT_ERROR_CONFIG.rawValue) }

    /// Throws a `GitError` when a libgit2 call returned a negative code.
    @discardableResult
    static func check(_ result: Int32, _ function: String) throws(GitError) -> Int32 {
        if result < 0 { throw GitError(result: result, function: function) }
        return result
    }
}

extension String {
    fileprivate func trimmingTrailingNewlines() -> String {
        var text = self
        while text.last == "\n" { text.removeLast() }
        return text
    }
}
