import Foundation
import LsmCore
import LsmTestSupport
import Testing

/// `export` on one machine and `import` on another, as a user runs them.
@Suite struct ExportCommandTests {
    /// A repository with one Claude Code session (machine A), and a clone-like repository with an
    /// empty home of its own (machine B).
    struct Machines {
        let origin: TestRepository
        let elsewhere: TestRepository
        let originEnvironment: [String: String]
        let elsewhereEnvironment: [String: String]

        init() throws {
            origin = try TestRepository()
            elsewhere = try TestRepository()
            let claude = origin.sandbox.child("claude/projects/p")
            try FileManager.default.createDirectory(atPath: claude, withIntermediateDirectories: true)
            let lines = [
                """
                {"type":"user","sessionId":"abc12345-0000","cwd":"\(origin.path)","gitBranch":"main","timestamp":"2026-01-01T09:59:00Z",\
                "uuid":"u1","message":{"role":"user","content":"why does the jwt expiry log users out? my key is sk-ant-api03-abcDEF123456_-ghiJKL789012mnoPQR345678stu"}}
                """,
                """
                {"type":"assistant","sessionId":"abc12345-0000","cwd":"\(origin.path)","gitBranch":"main","timestamp":"2026-01-01T10:00:00Z",\
                "requestId":"r1","message":{"id":"m1","model":"claude-sonnet-4-5-20250929","role":"assistant","content":[\
                {"type":"text","text":"The expiry is compared in milliseconds."}],\
                "usage":{"input_tokens":1000,"output_tokens":500,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}}
                """,
            ]
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: claude + "/abc12345-0000.jsonl"))
            originEnvironment = origin.environment.merging([
                "CLAUDE_CONFIG_DIR": origin.sandbox.child("claude"), "CODEX_HOME": origin.sandbox.child("codex"),
            ]) { $1 }
            elsewhereEnvironment = elsewhere.environment.merging([
                "CLAUDE_CONFIG_DIR": elsewhere.sandbox.child("claude"), "CODEX_HOME": elsewhere.sandbox.child("codex"),
            ]) { $1 }
        }

        func onOrigin(_ arguments: [String]) async -> CommandRun {
            await CommandRun.run(arguments, in: origin.path, environment: originEnvironment)
        }

        func elsewhere(_ arguments: [String]) async -> CommandRun {
            await CommandRun.run(arguments, in: elsewhere.path, environment: elsewhereEnvironment)
        }
    }

    @Test func aSessionExportedHereReadsTheSameElsewhere() async throws {
        let machines = try Machines()
        let bundle = machines.origin.sandbox.child("session.lsm.json")

        // Export to standard output, as `> file` would
        let exported = await machines.onOrigin(["export", "abc12345"])
        try Data(exported.stdout.utf8).write(to: URL(fileURLWithPath: bundle))
        let imported = await machines.elsewhere(["import", bundle, "--json"])
        let again = await machines.elsewhere(["import", bundle])
        let listed = await machines.elsewhere(["list", "--json"])
        let found = await machines.elsewhere(["search", "jwt", "expiry"])
        let reexported = await machines.elsewhere(["export", "abc12345", "-o", "again.lsm.json"])
        let shown = await machines.elsewhere(["show", "abc12345"])

        #expect(exported.status == 0)
        #expect(exported.stdout.hasPrefix("{\"schema\":\"lsm.bundle/1\",\n"))
        #expect(imported.status == 0, "\(imported.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(imported.stdout.utf8)) as? [String: Any]
        #expect(report?["imported"] as? Bool == true)
        #expect(report?["repository"] as? String == machines.elsewhere.path)
        #expect(again.stdout.hasPrefix("already imported: claude-code session abc12345-0000"))
        #expect(listed.stdout.contains("\"id\" : \"abc12345-0000\""))
        #expect(found.stdout.contains("abc12345-0000"))
        #expect(reexported.status == 0)
        #expect(shown.stdout.contains("imported"))
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: bundle))
                == Data(contentsOf: URL(fileURLWithPath: machines.elsewhere.path + "/again.lsm.json")))
    }

    @Test func redactedExportsLoseTheSecretAndTheRepositoryPath() async throws {
        let machines = try Machines()

        let markdown = await machines.onOrigin(["export", "abc12345", "--format", "markdown", "--redact"])
        let json = await machines.onOrigin(["export", "abc12345", "--redact", "-o", "r.lsm.json", "--json"])

        #expect(markdown.status == 0)
        #expect(!markdown.stdout.contains("sk-ant-api03"))
        #expect(markdown.stdout.contains("[REDACTED:anthropic-key]"))
        let bundle = try String(contentsOfFile: machines.origin.path + "/r.lsm.json", encoding: .utf8)
        #expect(!bundle.contains("sk-ant-api03") && !bundle.contains(machines.origin.path))
        #expect(bundle.contains("\"redacted\":true,"))
        #expect(json.stdout.contains("\"anthropic-key\" : 2"))
    }

    @Test func aDamagedBundleIsAOneLineErrorAndWritesNothing() async throws {
        let machines = try Machines()
        let bundle = machines.origin.sandbox.child("session.lsm.json")
        _ = await machines.onOrigin(["export", "abc12345", "-o", bundle])
        let text = try String(contentsOfFile: bundle, encoding: .utf8).replacingOccurrences(of: "milliseconds", with: "seconds!!!!!")
        try Data(text.utf8).write(to: URL(fileURLWithPath: bundle))

        let refused = await machines.elsewhere(["import", bundle])

        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("error: \(bundle) does not match its checksum"))
        #expect(!FileManager.default.fileExists(atPath: machines.elsewhere.sandbox.child(".local/share/lsm")))
    }

    @Test func exportAllNeedsAFolder() async throws {
        let machines = try Machines()

        let refused = await machines.onOrigin(["export", "--all"])
        let done = await machines.onOrigin(["export", "--all", "--since", "2025-01-01", "-o", "out", "--format", "html"])

        #expect(refused.status == 64)
        #expect(done.status == 0)
        #expect(FileManager.default.fileExists(atPath: machines.origin.path + "/out/claude-code-abc12345-0000.html"))
    }
}
