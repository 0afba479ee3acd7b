import Foundation
import LsmCore
import LsmStore
import LsmTestSupport
import Testing

/// `search` and `memory` on a Claude session in a real repository, with a second repository beside it.
@Suite struct SearchCommandTests {
    struct Fixture {
        let repo: TestRepository
        let other: TestRepository
        let environment: [String: String]
        let commit: String

        init() throws {
            repo = try TestRepository()
            commit = try repo.commit("Read the JWT expiry in seconds", files: ["src/jwt.ts": "export const unit = 's'\n"])
            other = try TestRepository(sandbox: repo.sandbox, path: repo.sandbox.child("other"))
            try other.git(["init", "-q", "-b", "main", other.path], in: repo.sandbox.path)
            let claude = repo.sandbox.child("claude/projects/p")
            try FileManager.default.createDirectory(atPath: claude, withIntermediateDirectories: true)
            let lines = [
                """
                {"type":"user","sessionId":"abc12345-0000","cwd":"\(repo.path)","gitBranch":"main","timestamp":"2026-01-01T09:59:00Z",\
                "uuid":"u1","message":{"role":"user","content":"why does the jwt expiry log users out after 3.6 seconds?"}}
                """,
                """
                {"type":"assistant","sessionId":"abc12345-0000","cwd":"\(repo.path)","gitBranch":"main","timestamp":"2026-01-01T10:00:00Z",\
                "requestId":"r1","message":{"id":"m1","model":"claude-sonnet-4-5-20250929","role":"assistant","content":[\
                {"type":"text","text":"The expiry is compared in milliseconds; <script>alert(1)</script> is not involved."}],\
                "usage":{"input_tokens":1000,"output_tokens":500,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}}
                """,
            ]
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: claude + "/abc12345-0000.jsonl"))
            var environment = repo.environment
            environment["CLAUDE_CONFIG_DIR"] = repo.sandbox.child("claude")
            environment["CODEX_HOME"] = repo.sandbox.child("codex")
            self.environment = environment
        }

        func run(_ arguments: [String], in directory: String? = nil) async -> CommandRun {
            await CommandRun.run(arguments, in: directory ?? repo.path, environment: environment)
        }

        /// Records what `git lsm link` would: the session made the commit.
        func link() throws {
            let index = try Workspace(directory: repo.path, environment: environment).openIndex()
            try index.replaceCommitLinks(
                repoCommonDir: repo.path + "/.git", sessionKeys: ["claude-code:abc12345-0000"],
                with: [
                    CommitLinkRecord(
                        repoCommonDir: repo.path + "/.git", commit: commit, sessionKey: "claude-code:abc12345-0000", confidence: 0.9,
                        evidence: "{}", linkedAt: 0)
                ])
        }
    }

    @Test func findsTheSessionAndMessageWithItsCommit() async throws {
        let fixture = try Fixture()
        _ = await fixture.run(["index"])
        try fixture.link()

        let run = await fixture.run(["search", "jwt expiry", "--json"])
        let results = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let hits = try #require(results["hits"] as? [[String: Any]])
        let first = try #require(hits.first)

        #expect(run.status == 0, "\(run.stderr)")
        for key in ["ref", "session", "agent", "repository", "branch", "timestamp", "role", "kind", "paths", "commit", "score", "snippet"] {
            #expect(first.keys.contains(key), "\(key)")
        }
        #expect(first["session"] as? String == "abc12345-0000")
        #expect(first["commit"] as? String == fixture.commit)
        #expect(first["branch"] as? String == "main")
        #expect((first["ref"] as? String)?.hasPrefix("abc12345-0000:") == true)
        let text = await fixture.run(["search", "jwt", "expiry"])
        #expect(text.stdout.contains("commit " + String(fixture.commit.prefix(10))))
        // Another repository has no sessions; --all finds it from there.
        #expect(await fixture.run(["search", "jwt"], in: fixture.other.path).stdout.contains("nothing found"))
        #expect(await fixture.run(["search", "--all", "jwt"], in: fixture.other.path).stdout.contains("abc12345-0000"))
    }

    @Test func badQueryIsAClearErrorAndWritesNothing() async throws {
        let fixture = try Fixture()
        for query in ["\"foo", "AND"] {
            let run = await fixture.run(["search", query])
            #expect(run.status == 1)
            #expect(run.stderr.hasPrefix("error: "))
            #expect(!run.stderr.contains("fts5"))
        }
        // The query is checked before the index is opened.
        let home = try #require(fixture.environment["LSM_HOME"])
        #expect(!FileManager.default.fileExists(atPath: home + "/index.sqlite"))
    }

    @Test func memoriesAreScopedToTheirRepository() async throws {
        let fixture = try Fixture()
        let added = await fixture.run(["memory", "add", "JWT expiry is in seconds, never milliseconds", "--tag", "auth"])
        #expect(added.status == 0, "\(added.stderr)")
        let id = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        _ = await fixture.run(["memory", "add", "--global", "prefer small commits"])

        #expect(await fixture.run(["memory", "search", "milliseconds"]).stdout.contains("never milliseconds"))
        #expect(await fixture.run(["memory", "search", "milliseconds"], in: fixture.other.path).stdout.contains("no memory matches"))
        #expect(await fixture.run(["memory", "list"], in: fixture.other.path).stdout.contains("prefer small commits"))
        #expect(!(await fixture.run(["memory", "list"], in: fixture.other.path).stdout.contains("JWT")))
        // In search, the memory ranks above the transcript hits.
        let search = await fixture.run(["search", "jwt", "expiry"])
        let memoryLine = try #require(search.stdout.range(of: "memory \(id)"))
        let hitLine = try #require(search.stdout.range(of: "abc12345-0000:"))
        #expect(memoryLine.lowerBound < hitLine.lowerBound)
        // Forgetting is scoped too.
        #expect(await fixture.run(["memory", "forget", id], in: fixture.other.path).status == 1)
        #expect(await fixture.run(["memory", "forget", id]).status == 0)
        #expect(!(await fixture.run(["memory", "list"]).stdout.contains("JWT")))
    }

    @Test func memoryFromASearchHitKeepsTheLink() async throws {
        let fixture = try Fixture()
        let search = await fixture.run(["search", "milliseconds", "--json"])
        let results = try #require(try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [String: Any])
        let ref = try #require((results["hits"] as? [[String: Any]])?.first?["ref"] as? String)

        let added = await fixture.run(["memory", "add", "--from", ref, "--json"])
        let memory = try #require(try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])

        #expect(added.status == 0, "\(added.stderr)")
        #expect(memory["session"] as? String == "claude-code:abc12345-0000")
        #expect((memory["text"] as? String)?.contains("milliseconds") == true)
        #expect(await fixture.run(["memory", "add", "--from", "abc12345:999999", "x"]).status == 1)
        #expect(await fixture.run(["memory", "add", "outside"], in: fixture.repo.sandbox.path).stderr.contains("--global"))
    }
}
