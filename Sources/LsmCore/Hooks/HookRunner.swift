import Foundation
import LsmGit

/// What lsm's git hook scripts call (`git-lsm hook <name>`). A hook never fails a commit and prints
/// nothing: every failure goes to `<common dir>/lsm/hooks.log` instead.
public struct HookRunner: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// Runs `hook` with git's arguments and standard input; never throws.
    public func run(_ hook: String, arguments: [String], input: Data) {
        var repository: Repository?
        do {
            let opened = try workspace.openRepository()
            repository = opened
            switch GitHook(rawValue: hook) {
            case .postCommit:
                guard let hex = arguments.first, let commit = ObjectID(hex: hex) else {
                    throw LsmError(.user, "post-commit: expected the new commit's id, got \(arguments)")
                }
                try CommitRecorder(workspace: workspace).recordCommit(commit, in: opened)
            case .postRewrite:
                try CommitRecorder(workspace: workspace).carryNotes(Self.rewrites(in: input), in: opened)
            case .prepareCommitMessage:
                try addTrailers(arguments: arguments, in: opened)
            case nil:
                throw LsmError(.user, "unknown hook '\(hook)'")
            }
        } catch {
            HookLog(repository: repository, workspace: workspace).write("\(hook): \(Self.describe(error))", at: workspace.now())
        }
    }

    /// `post-rewrite`'s input: one `<old> <new> [<extra>]` line per rewritten commit.
    static func rewrites(in input: Data) -> [(old: ObjectID, new: ObjectID)] {
        String(decoding: input, as: UTF8.self).split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let old = ObjectID(hex: String(fields[0])), let new = ObjectID(hex: String(fields[1])) else {
                return nil
            }
            return (old, new)
        }
    }

    /// `prepare-commit-msg <file> [<source> [<sha>]]`: adds `LSM-Session: <agent>/<id>` for each
    /// session at work, with `git interpret-trailers` (which knows the message's comment and cut
    /// lines). Leaves merge and squash messages alone unless `lsm.hooks.trailerOnMerge` is set.
    private func addTrailers(arguments: [String], in repository: Repository) throws {
        guard let file = arguments.first else { throw LsmError(.user, "prepare-commit-msg: no message file") }
        let source = arguments.count > 1 ? arguments[1] : ""
        let settings = try Settings.load(in: workspace, repository: repository)
        if (source == "merge" || source == "squash") && !settings.trailerOnMerge { return }
        let references = try CommitRecorder(workspace: workspace).activeSessions(in: repository).references
        guard !references.isEmpty else { return }
        let path = file.hasPrefix("/") ? file : (workspace.directory as NSString).appendingPathComponent(file)
        var arguments = ["interpret-trailers", "--in-place", "--if-exists", "addIfDifferent"]
        for reference in references { arguments += ["--trailer", "LSM-Session: \(reference)"] }
        try GitCommand(workspace: workspace).run(arguments + [path])
    }

    /// Appends `message` to the hooks' log of `repository` (`$LSM_HOME/hooks.log` without one).
    public static func log(_ message: String, repository: Repository?, workspace: Workspace) {
        HookLog(repository: repository, workspace: workspace).write(message, at: workspace.now())
    }

    public static func describe(_ error: any Error) -> String {
        guard let error = error as? LsmError else { return "\(error)" }
        return [error.message, error.cause].compactMap { $0 }.joined(separator: ": ")
    }
}

/// The hooks' own error log, `<common dir>/lsm/hooks.log`, kept under 1 MB (the older half moves to
/// `hooks.log.1`). Without a repository, errors go to `$LSM_HOME/hooks.log`.
struct HookLog {
    static let limit: UInt64 = 1 << 20

    let path: String

    init(repository: Repository?, workspace: Workspace) {
        if let repository {
            path = repository.commonDirectory + "/lsm/hooks.log"
        } else {
            path = workspace.indexLocation.home.appendingPathComponent("hooks.log").path
        }
    }

    func write(_ message: String, at date: Date) {
        let line = "\(date.formatted(.iso8601)) \(message.replacingOccurrences(of: "\n", with: " "))\n"
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? UInt64, size > Self.limit {
            _ = rename(path, path + ".1")
        }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        _ = line.utf8CString.withUnsafeBufferPointer { buffer in Glibc.write(descriptor, buffer.baseAddress, buffer.count - 1) }
    }
}
