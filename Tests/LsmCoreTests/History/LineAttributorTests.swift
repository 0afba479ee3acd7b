import Foundation
import LsmCore
import LsmGit
import LsmTestSupport
import Testing

@Suite struct LineAttributorTests {
    /// A repository and a transcript tree whose index the blame reads.
    struct Setup {
        let repo: TestRepository
        let tree: TranscriptTree
        var workspace: Workspace {
            Workspace(directory: repo.path, environment: repo.environment.merging(tree.environment) { _, new in new })
        }

        init() throws {
            repo = try TestRepository()
            tree = try TranscriptTree()
        }

        func blame(_ path: String, revision: String? = nil, in directory: String? = nil) throws -> BlameReport {
            var workspace = self.workspace
            if let directory { workspace.directory = directory }
            return try LineAttributor(workspace: workspace).blame(path: path, revision: revision)
        }

        /// Attaches an lsm note naming `sessions` (agent, id, model, files) to `commit`.
        func note(_ commit: String, _ sessions: [(agent: String, id: String, model: String?, files: [String])]) throws {
            let opened = try Repository.discover(containing: repo.path)
            let note = CommitNote(
                sessions: sessions.map {
                    CommitNote.Session(
                        agent: $0.agent, id: $0.id, model: $0.model, usage: nil, costUSD: nil, health: nil, filesTouched: $0.files)
                }, recordedAt: HermeticGit.baseDate)
            let author = Signature(name: "lsm", email: "lsm@example.com", date: HermeticGit.baseDate)
            try opened.updateNote(for: try ObjectID.parse(commit), notesRef: CommitNote.notesRef, author: author) { _ in note.encoded() }
        }
    }

    @Test func namesSessionModelAndPromptForLinesAClaudeEditWroteAndNothingForHumanLines() throws {
        // Given a human commit, then a commit holding a Claude Code Edit and a human line, with lsm's note
        let setup = try Setup()
        try setup.repo.commit("Start", files: ["src/app.swift": "import Foundation\n\nlet human = 1\n"])
        let file = setup.repo.path + "/src/app.swift"
        try setup.tree.claude(
            "-repo/s1.jsonl",
            [
                userLine(text: "Add a greeting function", time: "2025-12-31T23:58:00.000Z").replacingOccurrences(
                    of: "/work/app", with: setup.repo.path),
                assistantLine(
                    message: "m1", request: "r1", model: "claude-opus-4-1", output: 5, time: "2025-12-31T23:59:00.000Z",
                    content: toolUse(
                        "Edit",
                        [
                            "file_path": file, "old_string": "let human = 1",
                            "new_string": "let human = 1\nfunc greet() -> String {\n    \"hello\"\n}",
                        ]),
                    cwd: setup.repo.path),
            ])
        let agentCommit = try setup.repo.commit(
            "Greet",
            files: ["src/app.swift": "import Foundation\n\nlet human = 1\nfunc greet() -> String {\n    \"hello\"\n}\nlet alsoHuman = 2\n"])
        try setup.note(agentCommit, [("claude-code", "s1", "claude-sonnet-4-5", ["src/app.swift"])])

        // When the file is blamed
        let report = try setup.blame("src/app.swift")

        // Then the edit's lines name the session, the transcript's model and the prompt
        #expect(report.path == "src/app.swift")
        #expect(report.revision == agentCommit)
        let expected = LineAttribution(
            agent: "claude-code", session: "s1", model: "claude-opus-4-1", prompt: "Add a greeting function", source: .lsmNote)
        #expect(report.lines.map(\.line) == Array(1...7))
        #expect(report.lines[3...5].allSatisfy { $0.attribution == expected && $0.commit == agentCommit })
        // And the human lines, in the agent's commit or before it, name no agent
        #expect(report.lines[6].text == "let alsoHuman = 2")
        #expect(report.lines[6].attribution == nil)
        #expect(report.lines[0...2].allSatisfy { $0.attribution == nil })
        #expect(report.lines[0].author == HermeticGit.authorName)
    }

    @Test func readsCodexPatchesAndTheirPrompts() throws {
        let setup = try Setup()
        try setup.repo.commit("Start", files: ["README.md": "hi\n"])
        try setup.tree.codex(
            "sessions/2025/12/31/rollout-2025-12-31T23-50-00-cx1.jsonl",
            [
                #"{"timestamp":"2025-12-31T23:50:00.000Z","type":"session_meta","payload":{"id":"cx1","timestamp":"2025-12-31T23:50:00.000Z","cwd":"\#(setup.repo.path)","originator":"codex_cli_rs","cli_version":"0.50.0"}}"#,
                #"{"timestamp":"2025-12-31T23:50:01.000Z","type":"turn_context","payload":{"cwd":"\#(setup.repo.path)","model":"gpt-5-codex"}}"#,
                #"{"timestamp":"2025-12-31T23:50:02.000Z","type":"event_msg","payload":{"type":"user_message","message":"write a rust greeter"}}"#,
                #"{"timestamp":"2025-12-31T23:50:03.000Z","type":"response_item","payload":{"type":"custom_tool_call","name":"apply_patch","call_id":"c1","input":"*** Begin Patch\n*** Add File: src/main.rs\n+fn greet() { println!(\"hello\"); }\n+fn main() { greet(); }\n*** End Patch"}}"#,
            ])
        let commit = try setup.repo.commit(
            "Greeter", files: ["src/main.rs": "fn greet() { println!(\"hello\"); }\nfn main() { greet(); }\n// by hand\n"])
        try setup.note(commit, [("codex", "cx1", nil, ["src/main.rs"])])

        let report = try setup.blame("main.rs", in: setup.repo.path + "/src")

        let expected = LineAttribution(
            agent: "codex", session: "cx1", model: "gpt-5-codex", prompt: "write a rust greeter", source: .lsmNote)
        #expect(report.path == "src/main.rs")
        #expect(report.lines.map(\.attribution) == [expected, expected, nil])
    }

    @Test func readsTheRealCodexFixtureWhosePatchIsInJSONArguments() throws {
        // Given the sample rollout (its cwd another checkout, its prompt a user message, its patch
        // inside `{"patch": …}`), a commit with the patched lines, and lsm's note naming the session
        let setup = try Setup()
        let session = "019c4b43-1451-7af3-be4c-5576369bf1ba"
        try setup.tree.fixture(
            "codex/gitai_codex-session-simple.jsonl", asCodex: "sessions/2026/02/11/rollout-2026-02-11T05-53-33-\(session).jsonl")
        let commit = try setup.repo.commit(
            "Greet", files: ["src/main.rs": "fn greet() { println!(\"hello\"); }\nfn main() { greet(); }\n"])
        try setup.note(commit, [("codex", session, nil, ["src/main.rs"])])

        let report = try setup.blame("src/main.rs")

        let expected = LineAttribution(
            agent: "codex", session: session, model: "gpt-5-codex", prompt: "Refactor src/main.rs to add a greeting function.",
            source: .lsmNote)
        #expect(report.lines.map(\.attribution) == [expected, expected])
    }

    @Test func recognizesCoAuthorsOfOtherAgents() throws {
        let setup = try Setup()
        let trailers = [
            "Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>", "Co-authored-by: Cursor Agent <cursoragent@cursor.com>",
            "Co-authored-by: Grace Hopper <grace@example.com>",
        ]
        for (index, trailer) in trailers.enumerated() {
            try setup.repo.write("a.txt", (0...index).map { "line \($0)\n" }.joined())
            try setup.repo.git(["add", "-A"])
            try setup.repo.git(["commit", "-q", "-m", "Change \(index)\n\n\(trailer)"])
        }

        let agents = try setup.blame("a.txt").lines.map(\.attribution?.agent)

        #expect(agents == ["copilot", "cursor", nil])
    }

    @Test func followsLinesAcrossARename() throws {
        let setup = try Setup()
        let file = setup.repo.path + "/old.py"
        try setup.tree.claude(
            "-repo/s2.jsonl",
            [
                userLine(session: "s2", text: "Write the script", time: "2025-12-31T23:58:00.000Z"),
                assistantLine(
                    session: "s2", message: "m1", request: "r1", output: 5, time: "2025-12-31T23:59:00.000Z",
                    content: toolUse("Write", ["file_path": file, "content": "print('agent')\n"]), cwd: setup.repo.path),
            ])
        let agentCommit = try setup.repo.commit("Script", files: ["old.py": "print('agent')\nprint('human')\n"])
        try setup.note(agentCommit, [("claude-code", "s2", "claude-sonnet-4-5", ["old.py"])])
        try setup.repo.git(["mv", "old.py", "new.py"])
        try setup.repo.git(["commit", "-q", "-m", "Rename"])

        let report = try setup.blame("new.py")

        #expect(report.lines.map(\.commit) == [agentCommit, agentCommit])
        #expect(report.lines[0].attribution?.session == "s2")
        #expect(report.lines[0].attribution?.prompt == "Write the script")
        #expect(report.lines[1].attribution == nil)
    }

    @Test func readsGitAINoteRanges() throws {
        let setup = try Setup()
        let commit = try setup.repo.commit("Add", files: ["src/lib.rs": "a\nb\nc\nd\n"])
        let note = """
            src/lib.rs
              s_c9883b05a2487d::t_9f8e7d6c5b4a32 2-3
              h_31dce776f88375 4
            ---
            {"schema_version":"authorship/3.0.0","prompts":{},"humans":{"h_31dce776f88375":{"author":"Dev <dev@example.com>"}},\
            "sessions":{"s_c9883b05a2487d":{"agent_id":{"tool":"claude","id":"6ef2299e","model":"claude-sonnet-4-5"}}}}
            """
        try setup.repo.git(["notes", "--ref=ai", "add", "-m", note, commit])

        let report = try setup.blame("src/lib.rs")

        let expected = LineAttribution(agent: "claude-code", session: "6ef2299e", model: "claude-sonnet-4-5", source: .gitAI)
        #expect(report.lines.map(\.attribution) == [nil, expected, expected, nil])
    }

    @Test func readsCoAuthorAndSessionTrailers() throws {
        let setup = try Setup()
        try setup.repo.write("a.txt", "one\n")
        try setup.repo.git(["add", "-A"])
        try setup.repo.git(["commit", "-q", "-m", "One\n\nCo-authored-by: Claude <noreply@anthropic.com>"])
        try setup.repo.write("a.txt", "one\ntwo\n")
        try setup.repo.git(["add", "-A"])
        try setup.repo.git(["commit", "-q", "-m", "Two\n\nLSM-Session: codex/abc-123"])

        let report = try setup.blame("a.txt")

        #expect(
            report.lines.map(\.attribution) == [
                LineAttribution(agent: "claude-code", source: .coAuthor),
                LineAttribution(agent: "codex", session: "abc-123", source: .trailer),
            ])
    }

    @Test func noteWithoutTranscriptsHereAttributesTheFilesItsSessionsTouched() throws {
        let setup = try Setup()
        let commit = try setup.repo.commit("Both", files: ["touched.txt": "x\n", "other.txt": "y\n"])
        try setup.note(commit, [("claude-code", "elsewhere", "claude-sonnet-4-5", ["touched.txt"])])

        #expect(
            try setup.blame("touched.txt").lines.map(\.attribution) == [
                LineAttribution(agent: "claude-code", session: "elsewhere", model: "claude-sonnet-4-5", source: .lsmNote)
            ])
        #expect(try setup.blame("other.txt").lines.map(\.attribution) == [nil])
    }

    @Test func refusesWhatItCannotBlame() throws {
        let setup = try Setup()
        #expect(throws: LsmError(.user, "the repository has no commits yet", hint: "commit the file, then blame it")) {
            try setup.blame("a.txt")
        }
        try setup.repo.commit("Add", files: ["a.txt": "a\n", "dir/b.txt": "b\n"])
        try setup.repo.write("bin.dat", "\u{0}\u{1}binary")
        try setup.repo.commit("Binary")

        func message(_ body: () throws -> BlameReport) -> String? {
            do {
                _ = try body()
                return nil
            } catch let error as LsmError {
                return error.kind == .user ? error.message : "internal: \(error.message)"
            } catch {
                return "\(error)"
            }
        }
        #expect(message { try setup.blame("missing.txt") } == "no such path 'missing.txt' in HEAD")
        #expect(message { try setup.blame("a.txt", revision: "HEAD~1") } == nil)
        #expect(message { try setup.blame("bin.dat", revision: "HEAD~1") } == "no such path 'bin.dat' in HEAD~1")
        #expect(message { try setup.blame("dir") } == "'dir' is a directory")
        #expect(message { try setup.blame(".") } == "'.' is a directory")
        #expect(message { try setup.blame("bin.dat") } == "'bin.dat' is a binary file")
        #expect(message { try setup.blame("a.txt", revision: "nope") } == "unknown revision 'nope'")
        #expect(message { try setup.blame("../x.txt") }?.hasPrefix("'../x.txt' is outside the repository") == true)
        #expect(message { try setup.blame("a.txt", in: setup.repo.sandbox.path) }?.hasPrefix("not a git repository") == true)
    }
}

/// A `tool_use` content block, JSON-encoded.
func toolUse(_ name: String, _ input: [String: String]) -> String {
    let block: [String: Any] = ["type": "tool_use", "id": "toolu_\(name)", "name": name, "input": input]
    let data = (try? JSONSerialization.data(withJSONObject: block, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    return String(decoding: data, as: UTF8.self)
}
