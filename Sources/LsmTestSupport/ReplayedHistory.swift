import Foundation

/// A repository whose history was made by replaying agent transcripts, with humans committing in
/// between and no lsm hooks: what `git lsm link` must untangle.
///
/// On 2026-01-01 (UTC): a Claude Code session (10:00–10:10) writes `src/Greeter.swift` and edits
/// `README.md`, commits them with `git commit` through Bash (`claudeCommitted`, its output names the
/// id), then edits `src/main.swift`, which is committed from outside the session (`claudeEdited`,
/// lines only). A Codex session (11:00–11:03) adds `src/Farewell.swift` with `apply_patch` and commits
/// through the shell (`codexCommitted`). Humans commit unrelated files at 09:00 (before any
/// session), 10:05 and 10:20 (inside the Claude session's window) and 11:04 (inside Codex's).
public final class ReplayedHistory: @unchecked Sendable {
    public let repo: TestRepository
    /// The repository's environment plus where the transcripts are (`CLAUDE_CONFIG_DIR`, `CODEX_HOME`).
    public let environment: [String: String]
    public let claudeSession = "c1a2b3c4-0000-4000-8000-000000000001"
    public let codexSession = "019a0000-0000-7000-8000-00000000c0de"
    /// Full ids of the agents' commits and of the humans' ones.
    public private(set) var claudeCommitted = ""
    public private(set) var claudeEdited = ""
    public private(set) var codexCommitted = ""
    public private(set) var humanCommits: [String] = []
    public let claudeTranscript: String
    public let codexTranscript: String

    public init() throws {
        repo = try TestRepository()
        claudeTranscript = repo.sandbox.child("claude/projects/-repo/\(claudeSession).jsonl")
        codexTranscript = repo.sandbox.child("codex/sessions/2026/01/01/rollout-2026-01-01T11-00-00-\(codexSession).jsonl")
        var environment = repo.environment
        environment["CLAUDE_CONFIG_DIR"] = repo.sandbox.child("claude")
        environment["CODEX_HOME"] = repo.sandbox.child("codex")
        self.environment = environment

        humanCommits.append(try commit("Initial", at: "09:00:00", files: ["README.md": "# Demo\n", "src/main.swift": "print(\"hi\")\n"]))
        try replayClaude()
        try replayCodex()
    }

    /// `2026-01-01T<time>Z`.
    public static func timestamp(_ time: String) -> String { "2026-01-01T\(time)Z" }

    private static let greeter = "struct Greeter {\n    func greet(_ name: String) -> String {\n        \"Hello, \\(name)!\"\n    }\n}\n"

    private func replayClaude() throws {
        let path = repo.path
        var lines: [[String: Any]] = []
        func record(_ type: String, _ time: String, _ content: Any, request: Int? = nil) {
            var line: [String: Any] = [
                "type": type, "sessionId": claudeSession, "cwd": path, "gitBranch": "main", "version": "2.1.0",
                "timestamp": Self.timestamp(time), "uuid": UUID().uuidString,
            ]
            if let request {
                line["requestId"] = "req_\(request)"
                line["message"] = [
                    "id": "msg_\(request)", "model": "claude-sonnet-4-5-20250929", "role": "assistant", "type": "message",
                    "content": content,
                    "usage": ["input_tokens": 1000, "output_tokens": 100, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0],
                ]
            } else {
                line["message"] = ["role": "user", "content": content]
            }
            lines.append(line)
        }
        func toolUse(_ id: String, _ name: String, _ input: [String: Any]) -> [[String: Any]] {
            [["type": "tool_use", "id": id, "name": name, "input": input]]
        }
        func toolResult(_ id: String, _ text: String) -> [[String: Any]] {
            [["type": "tool_result", "tool_use_id": id, "content": text]]
        }

        record("user", "10:00:00", "Add a greeter and use it")
        record(
            "assistant", "10:01:00", toolUse("toolu_1", "Write", ["file_path": "\(path)/src/Greeter.swift", "content": Self.greeter]),
            request: 1)
        record("user", "10:01:05", toolResult("toolu_1", "File created successfully"))
        record(
            "assistant", "10:02:00",
            toolUse(
                "toolu_2", "Edit",
                ["file_path": "\(path)/README.md", "old_string": "# Demo", "new_string": "# Demo\n\nGreets people by name."]),
            request: 2)
        record("user", "10:02:05", toolResult("toolu_2", "The file has been updated."))
        record(
            "assistant", "10:03:00", toolUse("toolu_3", "Bash", ["command": "git add -A && git commit -m \"Add a greeter\""]), request: 3)
        claudeCommitted = try commit(
            "Add a greeter", at: "10:03:10", files: ["src/Greeter.swift": Self.greeter, "README.md": "# Demo\n\nGreets people by name.\n"])
        record(
            "user", "10:03:20",
            toolResult("toolu_3", "[main \(claudeCommitted.prefix(7))] Add a greeter\n 2 files changed, 7 insertions(+)"))

        humanCommits.append(try commit("Write meeting notes", at: "10:05:00", files: ["docs/notes.md": "Meeting notes\n"]))

        record(
            "assistant", "10:08:00",
            toolUse(
                "toolu_4", "Edit",
                ["file_path": "\(path)/src/main.swift", "old_string": "print(\"hi\")", "new_string": "print(Greeter().greet(\"world\"))"]),
            request: 4)
        record("user", "10:08:05", toolResult("toolu_4", "The file has been updated."))
        claudeEdited = try commit("Use the greeter", at: "10:09:00", files: ["src/main.swift": "print(Greeter().greet(\"world\"))\n"])
        record("assistant", "10:10:00", [["type": "text", "text": "Done: main prints a greeting."]], request: 5)

        humanCommits.append(try commit("Add a license", at: "10:20:00", files: ["LICENSE": "MIT\n"]))
        try Self.writeLines(lines, to: claudeTranscript)
    }

    private func replayCodex() throws {
        let patch = "*** Begin Patch\n*** Add File: src/Farewell.swift\n+struct Farewell {\n+    let word = \"Bye\"\n+}\n*** End Patch\n"
        var lines: [[String: Any]] = [
            [
                "timestamp": Self.timestamp("11:00:00"), "type": "session_meta",
                "payload": [
                    "id": codexSession, "timestamp": Self.timestamp("11:00:00"), "cwd": repo.path, "cli_version": "0.50.0",
                    "git": ["branch": "main"],
                ],
            ],
            ["timestamp": Self.timestamp("11:00:01"), "type": "turn_context", "payload": ["cwd": repo.path, "model": "gpt-5-codex"]],
            [
                "timestamp": Self.timestamp("11:01:00"), "type": "response_item",
                "payload": ["type": "custom_tool_call", "name": "apply_patch", "call_id": "call_1", "input": patch],
            ],
            [
                "timestamp": Self.timestamp("11:02:00"), "type": "response_item",
                "payload": [
                    "type": "function_call", "name": "shell", "call_id": "call_2",
                    "arguments": #"{"command":["bash","-lc","git add -A && git commit -m 'Say farewell'"]}"#,
                ],
            ],
        ]
        codexCommitted = try commit(
            "Say farewell", at: "11:02:05", files: ["src/Farewell.swift": "struct Farewell {\n    let word = \"Bye\"\n}\n"])
        lines.append([
            "timestamp": Self.timestamp("11:02:10"), "type": "response_item",
            "payload": [
                "type": "function_call_output", "call_id": "call_2",
                "output": #"{"output":"[main \#(codexCommitted.prefix(7))] Say farewell\n 1 file changed","metadata":{"exit_code":0}}"#,
            ],
        ])
        lines.append([
            "timestamp": Self.timestamp("11:03:00"), "type": "event_msg",
            "payload": [
                "type": "token_count",
                "info": ["total_token_usage": ["input_tokens": 5000, "cached_input_tokens": 1000, "output_tokens": 300]],
            ],
        ])
        humanCommits.append(try commit("Reword the license", at: "11:04:00", files: ["LICENSE": "MIT License\n"]))
        try Self.writeLines(lines, to: codexTranscript)
    }

    /// Commits `files` as a human at `time` on 2026-01-01 and returns the commit's full id.
    @discardableResult
    public func commit(_ message: String, at time: String, files: [String: String]) throws -> String {
        for (file, contents) in files { try repo.write(file, contents) }
        let date = Self.timestamp(time)
        let dates = ["GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date]
        try repo.git(["add", "-A"], environment: dates)
        try repo.git(["commit", "-q", "-m", message], environment: dates)
        return try repo.revParse("HEAD")
    }

    private static func writeLines(_ lines: [[String: Any]], to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let text = try lines.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
        try Data((text.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
    }
}
