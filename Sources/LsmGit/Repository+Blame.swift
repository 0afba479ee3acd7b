import Clibgit2

/// A run of consecutive lines of a file that the same commit last changed.
public struct BlameHunk: Sendable, Equatable {
    /// The first line of the run in the blamed version (1-based).
    public let startLine: Int
    public let lineCount: Int
    /// The commit that last changed these lines.
    public let commit: ObjectID
    /// The file's path in that commit (differs when the file was renamed since).
    public let originalPath: String
    /// The first line of the run in that commit's version of the file (1-based).
    public let originalStartLine: Int

    public init(startLine: Int, lineCount: Int, commit: ObjectID, originalPath: String, originalStartLine: Int) {
        self.startLine = startLine
        self.lineCount = lineCount
        self.commit = commit
        self.originalPath = originalPath
        self.originalStartLine = originalStartLine
    }
}

extension Repository {
    /// Who last changed each line of `path` as of `commit` (HEAD when `nil`), following renames.
    public func blame(path: String, at commit: ObjectID? = nil) throws(GitError) -> [BlameHunk] {
        var options = git_blame_options()
        try GitError.check(git_blame_options_init(&options, UInt32(GIT_BLAME_OPTIONS_VERSION)), "git_blame_options_init")
        if let commit { options.newest_commit = commit.raw }
        var blame: OpaquePointer?
        let result = git_blame_file(&blame, pointer, path, &options)
        if result == GIT_ENOTFOUND.rawValue {
            throw GitError(
                code: .notFound, message: "no such path '\(path)' in \(commit?.abbreviated() ?? "HEAD")", function: "git_blame_file")
        }
        try GitError.check(result, "git_blame_file")
        defer { git_blame_free(blame) }
        let count = git_blame_get_hunk_count(blame)
        var hunks: [BlameHunk] = []
        hunks.reserveCapacity(Int(count))
        for index in 0..<count {
            guard let hunk = git_blame_get_hunk_byindex(blame, index)?.pointee else { continue }
            hunks.append(
                BlameHunk(
                    startLine: Int(hunk.final_start_line_number), lineCount: Int(hunk.lines_in_hunk),
                    commit: ObjectID(hunk.final_commit_id),
                    originalPath: hunk.orig_path.map { String(cString: $0) } ?? path, originalStartLine: Int(hunk.orig_start_line_number)))
        }
        return hunks
    }
}
