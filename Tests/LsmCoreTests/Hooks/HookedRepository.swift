import Foundation
import LsmCore
import LsmTestSupport

/// A test repository whose commits run lsm's hooks for real: the `git` CLI with the built `git-lsm`
/// on PATH, Claude Code transcripts in a tree of their own, and the hooks run synchronously
/// (`LSM_HOOK_SYNC=1`) unless the test asks for the background.
final class HookedRepository: @unchecked Sendable {
    /// One API call of a session: when, how many output tokens, and the files its tools wrote.
    struct Call {
        var at: Date
        var output: Int
        var edits: [String] = []
    }

    let repo: TestRepository
    let transcripts: TranscriptTree
    /// The environment `git`, and so the hooks, run with.
    let environment: [String: String]

    init(_ repo: TestRepository? = nil, background: Bool = false) throws {
        let repo = try repo ?? TestRepository()
        self.repo = repo
        transcripts = try TranscriptTree()
        var environment = try BuiltLsm.onPath(in: repo.sandbox, environment: repo.environment)
        for key in ["CLAUDE_CONFIG_DIR", "CODEX_HOME", "LSM_HOME"] { environment[key] = transcripts.environment[key] }
        // No agent process of the machine running the tests counts as live.
        let processes = transcripts.folder.child("proc")
        try FileManager.default.createDirectory(atPath: processes, withIntermediateDirectories: true)
        environment["LSM_PROC_ROOT"] = processes
        environment["LSM_HOOK_SYNC"] = background ? nil : "1"
        self.environment = environment
    }

    var path: String { repo.path }

    func workspace(in directory: String? = nil) -> Workspace {
        Workspace(directory: directory ?? path, environment: environment)
    }

    @discardableResult
    func install(_ options: HookInstaller.Options = .init(), in directory: String? = nil) throws -> HookInstaller.Report {
        let workspace = workspace(in: directory)
        return try HookInstaller(workspace: workspace).install(in: try workspace.openRepository(), options: options)
    }

    @discardableResult
    func uninstall(in directory: String? = nil) throws -> HookInstaller.Report {
        let workspace = workspace(in: directory)
        return try HookInstaller(workspace: workspace).uninstall(from: try workspace.openRepository())
    }

    /// Runs `git` with the hooks' environment; throws when it fails.
    @discardableResult
    func git(_ arguments: [String], in directory: String? = nil, environment extra: [String: String] = [:]) throws -> String {
        try repo.git(arguments, in: directory, environment: environment.merging(extra) { $1 })
    }

    /// Runs `git` with the hooks' environment and returns what it printed, failing or not.
    func run(_ arguments: [String], in directory: String? = nil, input: String? = nil) throws -> ProcessResult {
        try ProcessRunner.run("git", arguments, in: directory ?? path, environment: environment, input: input)
    }

    /// Writes `files`, stages everything and runs `git commit` (dated `at`, when given); returns the new
    /// commit's id.
    @discardableResult
    func commit(_ message: String, files: [String: String] = [:], at date: Date? = nil, in directory: String? = nil) throws -> String {
        let root = directory ?? path
        for (file, contents) in files {
            let url = URL(fileURLWithPath: root).appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url)
        }
        try git(["add", "-A"], in: root)
        try git(["commit", "-q", "--allow-empty", "-m", message], in: root, environment: Self.dated(date))
        return try git(["rev-parse", "HEAD"], in: root).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Author and committer dates for git, when `date` is given.
    static func dated(_ date: Date?) -> [String: String] {
        guard let date else { return [:] }
        let stamp = "\(Int(date.timeIntervalSince1970)) +0000"
        return ["GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp]
    }

    /// lsm's note on `revision`, read with `git notes`; `nil` when there is none.
    func note(_ revision: String) throws -> CommitNote? {
        let shown = try run(["notes", "--ref=lsm", "show", revision])
        guard shown.status == 0 else { return nil }
        return CommitNote.parse(shown.stdout)
    }

    /// The note on `revision`, failing the test when there is none.
    func requireNote(_ revision: String) throws -> CommitNote {
        guard let note = try note(revision) else { throw TestFailure("no lsm note on \(revision)") }
        return note
    }

    /// Appends `calls` to Claude Code session `id`, working in `cwd` (the work tree by default) on
    /// `branch`. Edited paths are relative to `cwd`.
    func claude(_ id: String, _ calls: [Call], cwd: String? = nil, branch: String = "main") throws {
        let cwd = cwd ?? path
        let file = transcripts.claudeRoot + "/projects/p-\(id)/\(id).jsonl"
        var lines = ""
        for call in calls {
            let number = UUID().uuidString.prefix(8)
            let time = call.at.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
            let tools = call.edits.enumerated().map { index, edit in
                #"{"type":"tool_use","id":"toolu_\#(number)_\#(index)","name":"Write","input":{"file_path":"\#(cwd)/\#(edit)","content":"x"}}"#
            }
            lines += userLine(session: id, text: "work", time: time, cwd: cwd, branch: branch) + "\n"
            lines +=
                assistantLine(
                    session: id, message: "msg_\(number)", request: "req_\(number)", output: call.output, time: time,
                    content: (["{\"type\":\"text\",\"text\":\"ok\"}"] + tools).joined(separator: ","), cwd: cwd, branch: branch) + "\n"
        }
        if FileManager.default.fileExists(atPath: file) {
            try transcripts.append(file, lines)
        } else {
            try transcripts.write(file, lines)
        }
    }

    /// The contents of the hooks' log, empty when there is none.
    func hooksLog() throws -> String {
        let common = try git(["rev-parse", "--path-format=absolute", "--git-common-dir"]).trimmingCharacters(in: .whitespacesAndNewlines)
        return (try? String(contentsOfFile: common + "/lsm/hooks.log", encoding: .utf8)) ?? ""
    }
}

extension Date {
    /// `minutes` before now.
    static func minutesAgo(_ minutes: Double) -> Date { Date().addingTimeInterval(-minutes * 60) }
}
