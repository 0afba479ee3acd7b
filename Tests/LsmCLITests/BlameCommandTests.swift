import Foundation
import LsmTestSupport
import Testing

/// `git lsm blame`, in-process, on a repository where a Claude Code session wrote some lines.
@Suite struct BlameCommandTests {
    struct Fixture {
        let repo: TestRepository
        let environment: [String: String]
        let agentCommit: String

        init() throws {
            repo = try TestRepository()
            try repo.commit("Start", files: ["a.swift": "let a = 1\n"])
            let claude = repo.sandbox.child("claude/projects/p")
            try FileManager.default.createDirectory(atPath: claude, withIntermediateDirectories: true)
            let prompt = """
                {"type":"user","sessionId":"abc12345","cwd":"\(repo.path)","timestamp":"2025-12-31T23:58:00Z","uuid":"u1",\
                "message":{"role":"user","content":"Add b\\nand keep a"}}
                """
            let edit = """
                {"type":"assistant","sessionId":"abc12345","cwd":"\(repo.path)","timestamp":"2025-12-31T23:59:00Z","requestId":"r1",\
                "message":{"id":"m1","model":"claude-sonnet-4-5","role":"assistant","content":[{"type":"tool_use","id":"t1","name":"Edit",\
                "input":{"file_path":"\(repo.path)/a.swift","old_string":"let a = 1","new_string":"let a = 1\\nlet b = 2"}}],\
                "usage":{"input_tokens":10,"output_tokens":5}}}
                """
            try Data((prompt + "\n" + edit + "\n").utf8).write(to: URL(fileURLWithPath: claude + "/abc12345.jsonl"))
            agentCommit = try repo.commit("Add b", files: ["a.swift": "let a = 1\nlet b = 2\n"])
            let note = """
                {"schema":"lsm.commit/1","recordedAt":"2026-01-01T00:02:00Z","sessions":[{"agent":"claude-code","id":"abc12345",\
                "model":"claude-sonnet-4-5","filesTouched":["a.swift"]}]}
                """
            try repo.git(["notes", "--ref=lsm", "add", "-m", note, agentCommit])
            var environment = repo.environment
            environment["CLAUDE_CONFIG_DIR"] = repo.sandbox.child("claude")
            environment["CODEX_HOME"] = repo.sandbox.child("codex")
            self.environment = environment
        }

        func run(_ arguments: [String], in directory: String? = nil) async -> CommandRun {
            await CommandRun.run(arguments, in: directory ?? repo.path, environment: environment)
        }
    }

    @Test func textShowsBlameColumnsAnAgentTagAndALegend() async throws {
        let fixture = try Fixture()

        let run = await fixture.run(["blame", "a.swift"])

        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].hasSuffix("(Ada Tester 2026-01-01 1)          let a = 1"))
        #expect(lines[1] == "\(fixture.agentCommit.prefix(8)) (Ada Tester 2026-01-01 2) claude:1 let b = 2")
        #expect(lines[3] == "claude:1  claude-code, session abc12345, claude-sonnet-4-5, from lsm note")
        #expect(lines[4] == "          prompt: Add b and keep a")
    }

    @Test func jsonHasEveryDocumentedKey() async throws {
        let fixture = try Fixture()

        let run = await fixture.run(["blame", "--json", "--rev", "HEAD", "a.swift"])

        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["path"] as? String == "a.swift")
        #expect(object["revision"] as? String == fixture.agentCommit)
        let lines = try #require(object["lines"] as? [[String: Any]])
        #expect(lines.count == 2)
        for line in lines {
            #expect(
                Set(line.keys) == ["line", "text", "commit", "author", "date", "agent", "session", "model", "prompt", "source"])
        }
        #expect(lines[0]["agent"] is NSNull)
        #expect(lines[0]["source"] is NSNull)
        #expect(lines[1]["agent"] as? String == "claude-code")
        #expect(lines[1]["session"] as? String == "abc12345")
        #expect(lines[1]["model"] as? String == "claude-sonnet-4-5")
        #expect(lines[1]["prompt"] as? String == "Add b\nand keep a")
        #expect(lines[1]["source"] as? String == "lsm-note")
        #expect((lines[1]["date"] as? String)?.hasPrefix("2026-01-01T00:") == true)
    }

    @Test func errorsAreOneLineAndExitOne() async throws {
        let fixture = try Fixture()

        let missing = await fixture.run(["blame", "nope.swift"])
        let badRev = await fixture.run(["blame", "--rev", "nope", "a.swift"])

        #expect(missing.status == 1)
        #expect(missing.stdout.isEmpty)
        #expect(missing.stderr.hasPrefix("error: no such path 'nope.swift' in HEAD\n"))
        #expect(badRev.status == 1)
        #expect(badRev.stderr.hasPrefix("error: unknown revision 'nope'\n"))
    }
}
