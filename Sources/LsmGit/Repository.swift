import Clibgit2
import Foundation

/// An open git repository: a libgit2 handle owned by this object and freed with it.
///
/// libgit2 handles are not thread-safe, so a `Repository` is deliberately not `Sendable`: one task
/// uses it at a time. Open another one for another task.
public final class Repository {
    let pointer: OpaquePointer
    var addedGlobalConfigFile = false

    private init(pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        git_repository_free(pointer)
    }

    /// Opens the repository git itself would use for a command run in `directory` with `environment`:
    /// `GIT_DIR` (relative to `directory`) names the repository outright and `GIT_WORK_TREE` its work
    /// tree; otherwise discovery walks up from `directory`, stopping at `GIT_CEILING_DIRECTORIES` and,
    /// unless `GIT_DISCOVERY_ACROSS_FILESYSTEM` is true, at file-system boundaries. This is how
    /// `git lsm` finds the repository it was run in, including inside git hooks.
    public static func openFromEnvironment(startingAt directory: String, environment: [String: String])
        throws(GitError) -> Repository
    {
        if let gitDir = environment["GIT_DIR"], !gitDir.isEmpty {
            let repository = try open(path: absolute(gitDir, in: directory), flags: GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, ceilings: nil)
            if let workTree = environment["GIT_WORK_TREE"], !workTree.isEmpty {
                try GitError.check(
                    git_repository_set_workdir(repository.pointer, absolute(workTree, in: directory), 0), "git_repository_set_workdir")
            }
            return repository
        }
        var flags: UInt32 = 0
        if let across = environment["GIT_DISCOVERY_ACROSS_FILESYSTEM"], GitConfig.parseBool(across) == true {
            flags |= GIT_REPOSITORY_OPEN_CROSS_FS.rawValue
        }
        let ceilings = environment["GIT_CEILING_DIRECTORIES"].flatMap { $0.isEmpty ? nil : $0 }
        return try open(path: directory, flags: flags, ceilings: ceilings)
    }

    /// Opens the repository containing `path` (a work tree, a folder inside one, a `.git` folder or a
    /// bare repository), ignoring git's environment variables. Use it for paths that come from data,
    /// such as an agent session's working directory.
    public static func discover(containing path: String) throws(GitError) -> Repository {
        try open(path: path, flags: 0, ceilings: nil)
    }

    /// Opens the repository at exactly `path`, without searching parent folders.
    public static func open(at path: String) throws(GitError) -> Repository {
        try open(path: path, flags: GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, ceilings: nil)
    }

    private static func open(path: String, flags: UInt32, ceilings: String?) throws(GitError) -> Repository {
        Libgit2.ensureInitialized()
        var handle: OpaquePointer?
        let result = git_repository_open_ext(&handle, path, flags, ceilings)
        if result == GIT_ENOTFOUND.rawValue {
            throw GitError(code: .notFound, message: "not a git repository: \(path)", function: "git_repository_open_ext")
        }
        try GitError.check(result, "git_repository_open_ext")
        guard let handle else {
            throw GitError(code: .other(-1), message: "no repository handle", function: "git_repository_open_ext")
        }
        return Repository(pointer: handle)
    }

    /// The work tree's root, without a trailing slash; `nil` for a bare repository.
    public var workDirectory: String? {
        git_repository_workdir(pointer).map { Self.trimmingSlash(String(cString: $0)) }
    }

    /// This work tree's git directory (`.git`, or `.git/worktrees/<name>` in a linked worktree).
    public var gitDirectory: String {
        Self.trimmingSlash(String(cString: git_repository_path(pointer)))
    }

    /// The directory shared by all worktrees of the repository: objects, refs, hooks and lsm's own state.
    public var commonDirectory: String {
        Self.trimmingSlash(String(cString: git_repository_commondir(pointer)))
    }

    /// Whether the repository has no work tree.
    public var isBare: Bool { git_repository_is_bare(pointer) == 1 }

    /// Whether this is a linked worktree (made by `git worktree add`).
    public var isLinkedWorktree: Bool { git_repository_is_worktree(pointer) == 1 }

    /// Where HEAD points: a branch, a detached commit, or a branch with no commits yet.
    public func head() throws(GitError) -> Head {
        var reference: OpaquePointer?
        let result = git_repository_head(&reference, pointer)
        if result == GIT_EUNBORNBRANCH.rawValue || result == GIT_ENOTFOUND.rawValue {
            return .unborn(branch: try unbornBranchName())
        }
        try GitError.check(result, "git_repository_head")
        guard let reference else { throw GitError(code: .notFound, message: "HEAD is missing", function: "git_repository_head") }
        defer { git_reference_free(reference) }
        guard let target = git_reference_target(reference) else {
            throw GitError(code: .invalidSpec, message: "HEAD does not point at a commit", function: "git_reference_target")
        }
        let commit = ObjectID(target)
        if git_repository_head_detached(pointer) == 1 {
            return .detached(commit)
        }
        let name = String(cString: git_reference_name(reference))
        return .branch(name: Self.shortBranchName(name), commit: commit)
    }

    private func unbornBranchName() throws(GitError) -> String {
        var reference: OpaquePointer?
        try GitError.check(git_reference_lookup(&reference, pointer, "HEAD"), "git_reference_lookup")
        guard let reference else { return "HEAD" }
        defer { git_reference_free(reference) }
        guard let target = git_reference_symbolic_target(reference) else { return "HEAD" }
        return Self.shortBranchName(String(cString: target))
    }

    private static func absolute(_ path: String, in directory: String) -> String {
        path.hasPrefix("/")
            ? path : URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: directory, isDirectory: true)).standardizedFileURL.path
    }

    static func shortBranchName(_ name: String) -> String {
        name.hasPrefix("refs/heads/") ? String(name.dropFirst("refs/heads/".count)) : name
    }

    static func trimmingSlash(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}

/// Where HEAD points.
public enum Head: Sendable, Equatable {
    /// On a branch (short name, e.g. `main`) whose tip is `commit`.
    case branch(name: String, commit: ObjectID)
    /// Detached at a commit.
    case detached(ObjectID)
    /// On a branch that has no commits yet.
    case unborn(branch: String)

    /// The commit HEAD resolves to, if any.
    public var commit: ObjectID? {
        switch self {
        case .branch(_, let commit): commit
        case .detached(let commit): commit
        case .unborn: nil
        }
    }

    /// The branch name, when HEAD is on a branch (born or not).
    public var branchName: String? {
        switch self {
        case .branch(let name, _): name
        case .detached: nil
        case .unborn(let branch): branch
        }
    }
}
