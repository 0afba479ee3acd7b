import Foundation
import LsmTestSupport
import Testing

/// `list`, `show`, `index` and the sessions part of `status`, on transcripts whose cwd is a real repository.
@Suite struct SessionCommandsTests {
    /// A repository with one Claude session in it (on `main`) and one Codex session elsewhere.
    struct Fixture {
        let repo: TestRepository
        let environment: [String: String]

        init() throws {
            repo = try TestRepository()
            try repo.commit("Initial", files: ["src/a.swift": "let a = 1\n"])
            let claude = repo.sandbox.child("claude/projects/p")
            let codex = repo.sandbox.child("codex/sessions/2026/01/01")
            try FileManager.default.createDirectory(atPath: claude, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: codex, withIntermediateDirectories: true)
            let assistant = """
                {"type":"assistant","sessionId":"abc12345-0000","cwd":"\(repo.path)/src","gitBranch":"main","timestamp":"2026-01-01T10:00:00Z",\
                "requestId":"r1","message":{"id":"m1","model":"claude-sonnet-4-5-20250929","role":"assistant","content":[\
                {"type":"tool_use","id":"t1","name":"Edit","input":{"file_path":"\(repo.path)/src/a.swift"}}],\
                "usage":{"input_tokens":1000,"output_tokens":500,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}}
                """
            let prompt = """
                {"type":"user","sessionId":"abc12345-0000","cwd":"\(repo.path)/src","gitBranch":"main","timestamp":"2026-01-01T09:59:00Z",\
                "uuid":"u1","message":{"role":"user","content":"Rename a to b"}}
                """
            try Data((prompt + "\n" + assistant + "\n").utf8).write(to: URL(fileURLWithPath: claude + "/abc12345-0000.jsonl"))
            let rollout = """
                {"timestamp":"2026-01-01T08:00:00Z","type":"session_meta","payload":{"id":"def67890","cwd":"/nowhere","cli_version":"0.99"}}
                {"timestamp":"2026-01-01T08:00:01Z","type":"turn_context","payload":{"model":"gpt-5-codex"}}
                {"timestamp":"2026-01-01T08:00:02Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":100,"cached_input_tokens":0,"output_tokens":10}}}}

                """
            try Data(rollout.utf8).write(to: URL(fileURLWithPath: codex + "/rollout-2026-01-01T08-00-00-def67890.jsonl"))
            var environment = repo.environment
            environment["CLAUDE_CONFIG_DIR"] = repo.sandbox.child("claude")
            environment["CODEX_HOME"] = repo.sandbox.child("codex")
            self.environment = environment
        }

        func run(_ arguments: [String], in directory: String? = nil) async -> CommandRun {
            await CommandRun.run(arguments, in: directory ?? repo.path, environment: environment)
        }
    }

    @Test func listJsonHasTheDocumentedKeysAndExactUsage() async throws {
        let fixture = try Fixture()

        let run = await fixture.run(["list", "--all", "--json"])
        let sessions = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        let claude = try #require(sessions.first { $0["agent"] as? String == "claude-code" })
        let usage = try #require(claude["usage"] as? [String: Int])

        #expect(run.status == 0, "\(run.stderr)")
        #expect(sessions.count == 2)
        for key in [
            "id", "agent", "cwd", "repo", "branch", "model", "startedAt", "lastActivityAt", "usage", "costUSD", "calls", "contextFill",
            "compactions",
        ] {
            #expect(claude.keys.contains(key), "missing \(key)")
        }
        #expect(usage == ["input": 1000, "output": 500, "cacheWrite": 0, "cacheRead": 0, "total": 1500])
        #expect(claude["repo"] as? String == fixture.repo.path)
        #expect(claude["startedAt"] as? String == "2026-01-01T09:59:00Z")
        #expect(abs((claude["costUSD"] as? Double ?? 0) - 0.0105) < 1e-9)
    }

    @Test func listInRepositoryShowsOnlyItsSessions() async throws {
        let fixture = try Fixture()

        let run = await fixture.run(["list"])

        #expect(run.status == 0)
        #expect(run.stdout.contains("abc12345"))
        #expect(!run.stdout.contains("def67890"))
    }

    @Test func listFiltersByAgentAndRejectsBadDates() async throws {
        let fixture = try Fixture()

        let codex = await fixture.run(["list", "--all", "--agent", "codex", "--json"])
        let badDate = await fixture.run(["list", "--since", "last tuesday"])
        let badAgent = await fixture.run(["list", "--agent", "vim"])

        #expect(codex.stdout.contains("def67890") && !codex.stdout.contains("abc12345"))
        #expect(badDate.status == 1)
        #expect(badDate.stderr.hasPrefix("error: cannot read 'last tuesday' as a date\n"))
        #expect(badAgent.status == 64)
    }

    @Test func listOutsideRepositoryNeedsAll() async throws {
        let fixture = try Fixture()
        let outside = try TemporaryDirectory()

        let run = await fixture.run(["list"], in: outside.path)

        #expect(run.status == 1)
        #expect(run.stderr.contains("hint: use --all"))
    }

    @Test func statusListsTheRepositorysSessions() async throws {
        let fixture = try Fixture()

        let run = await fixture.run(["status"])

        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Sessions  1, 1.5k tokens, $0.01"))
        #expect(run.stdout.contains("claude-code  abc12345  claude-sonnet-4-5-20250929  main"))
    }

    @Test func showFindsSessionByPrefixAndListsFilesAndPrompts() async throws {
        let fixture = try Fixture()

        let run = await fixture.run(["show", "abc1"])
        let missing = await fixture.run(["show", "zzz"])

        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\(fixture.repo.path)/src/a.swift  Edit ×1"))
        #expect(run.stdout.contains("prompt      Rename a to b"))
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("error: no session matches 'zzz'\n"))
    }

    @Test func indexReportsWhatItRead() async throws {
        let fixture = try Fixture()

        let first = await fixture.run(["index", "--json"])
        let second = await fixture.run(["index", "--json"])
        let firstReport = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        let secondReport = try #require(try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any])

        #expect(firstReport["files"] as? Int == 2)
        #expect(firstReport["records"] as? Int == 5)
        #expect(firstReport["sessions"] as? Int == 2)
        #expect(secondReport["changedFiles"] as? Int == 0)
    }
}

/// `health` and `statusline`.
@Suite struct HealthCommandsTests {
    @Test func healthExplainsEveryComponent() async throws {
        let fixture = try SessionCommandsTests.Fixture()

        let text = await fixture.run(["health", "abc1"])
        let json = await fixture.run(["health", "abc1", "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let health = try #require(object["health"] as? [String: Any])
        let components = try #require(health["components"] as? [[String: Any]])

        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("contextFill"))
        #expect(text.stdout.contains("health "))
        #expect(components.count == 9)
        #expect(health["score"] as? Int == 100 - components.reduce(0) { $0 + ($1["penalty"] as? Int ?? 0) })
        #expect(["healthy", "warning", "critical"].contains(health["status"] as? String ?? ""))
    }

    @Test func healthWithoutSessionTakesThisRepositorysLatest() async throws {
        let fixture = try SessionCommandsTests.Fixture()

        let run = await fixture.run(["health", "--json"])

        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\"id\" : \"abc12345-0000\""))
    }

    @Test func healthOfUnknownSessionIsUserError() async throws {
        let fixture = try SessionCommandsTests.Fixture()

        let run = await fixture.run(["health", "nope"])

        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: no session matches 'nope'\n"))
    }

    @Test func listJsonCarriesHealthAndLiveness() async throws {
        let fixture = try SessionCommandsTests.Fixture()

        let run = await fixture.run(["list", "--all", "--json"])
        let sessions = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])

        #expect(sessions.allSatisfy { $0["live"] is Bool && $0["health"] is [String: Any] && $0.keys.contains("agentVersion") })
    }

    @Test func statuslinePrintsOneLineFromClaudeCodesInput() async throws {
        let fixture = try SessionCommandsTests.Fixture()
        let transcript = fixture.repo.sandbox.child("claude/projects/p/abc12345-0000.jsonl")
        let input = """
            {"session_id":"abc12345-0000","transcript_path":"\(transcript)","cwd":"\(fixture.repo.path)",\
            "model":{"id":"claude-sonnet-4-5-20250929","display_name":"Sonnet 4.5"},"cost":{"total_cost_usd":0.5},\
            "context_window":{"total_input_tokens":1000,"context_window_size":200000}}
            """

        let run = await CommandRun.run(["statusline"], in: fixture.repo.path, environment: fixture.environment, input: input)

        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("Sonnet 4.5 | ctx 1% | $0.01 | health "))
        #expect(run.stdout.split(separator: "\n").count == 1)
    }

    @Test func statuslineRejectsInputThatIsNotJSON() async throws {
        let fixture = try SessionCommandsTests.Fixture()

        let run = await CommandRun.run(["statusline"], in: fixture.repo.path, environment: fixture.environment, input: "hello")

        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: statusline input is not the JSON Claude Code sends\n"))
    }
}
