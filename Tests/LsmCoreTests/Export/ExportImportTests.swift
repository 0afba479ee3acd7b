import Foundation
import LsmCore
import LsmStore
import LsmTestSupport
import Testing

/// Export → import into an empty `LSM_HOME` → export again, for every agent's fixture.
@Suite struct ExportImportTests {
    /// Each agent's real fixture, written into a tree where that agent keeps it.
    static let agents: [(name: String, write: @Sendable (TranscriptTree) throws -> Void)] = [
        (
            "claude-code",
            { tree in
                try tree.fixture(
                    "claude/gitai_claude-code-with-thinking.jsonl", asClaude: "-work-app/dac34307-159f-4fcd-9c21-35210246ad38.jsonl")
                try tree.write(
                    tree.claudeRoot + "/projects/-work-app/sess-parent-abc/subagents/agent-a1b2c3d4e5f6.jsonl",
                    try tree.fixtureText("claude/gitai_subagent_layout/sess-parent-abc/subagents/agent-a1b2c3d4e5f6.jsonl"))
                try tree.fixture("claude/claudecodelog_dag_compact_after_rewind.jsonl", asClaude: "-work-app/dag.jsonl")
            }
        ),
        (
            "codex",
            { tree in
                try tree.fixture(
                    "codex/ccusage_token_count_session-alpha.jsonl", asCodex: "sessions/2026/05/13/rollout-2026-05-13T09-00-00-alpha.jsonl")
                try tree.fixture(
                    "codex/gitai_codex-session-simple.jsonl", asCodex: "sessions/2026/05/14/rollout-2026-05-14T09-00-00-simple.jsonl")
            }
        ),
        (
            "gemini",
            { tree in
                try tree.gemini(
                    project: "project1", "session-2025-12-06T18-25-38b36361.jsonl",
                    try tree.fixtureText("gemini/gitai_gemini-session-simple.jsonl").split(separator: "\n").map(String.init))
            }
        ),
        (
            "copilot",
            { tree in
                try tree.copilotChat(
                    workspace: "ws1", "copilot-session.json", try tree.fixtureText("copilot/gitai_chatSessions_legacy_v3.TRIMMED.json"))
                try tree.copilotChat(
                    workspace: "ws2", "7de89a80-6d93-43e7-be0a-0a9afe980198.jsonl",
                    try tree.fixtureText("copilot/gitai_chatSessions_oplog_multiline.jsonl"))
                try tree.copilotCLI(
                    "cli-session",
                    try tree.fixtureText("copilot/gitai_copilot_cli_session_events.jsonl").split(separator: "\n").map(String.init))
            }
        ),
        (
            "cursor",
            { tree in
                try tree.write(
                    tree.cursorConfigDir + "/projects/Users-aidancunniffe-Desktop-testing-gitflows-git-ai/agent-transcripts/9c1d.jsonl",
                    try tree.fixtureText("cursor/gitai_cursor-agent-transcript-simple.jsonl"))
            }
        ),
    ]

    @Test(arguments: agents.map(\.name))
    func roundTripGivesTheSameBundleAndTheSameSession(agent: String) throws {
        // Given every session of one agent, exported on machine A
        let origin = try TranscriptTree()
        try Self.agents.first { $0.name == agent }?.write(origin)
        let sessions = try origin.index().1
        #expect(!sessions.isEmpty)
        let elsewhere = try TranscriptTree()
        for session in sessions {
            let bundle = origin.folder.child("\(session.id).lsm.json")
            _ = try SessionExporter(workspace: origin.workspace).export(
                session: session.id, format: .json, redact: false, to: .file(bundle))

            // When machine B, with an empty index, imports it and exports it again
            let report = try SessionImporter(workspace: elsewhere.workspace).importBundle(at: bundle, asOfOrigin: false)
            let again = elsewhere.folder.child("\(session.id).again.lsm.json")
            _ = try SessionExporter(workspace: elsewhere.workspace).export(
                session: session.id, format: .json, redact: false, to: .file(again))

            // Then the bundles are byte for byte the same, and B reads the session as A does
            #expect(report.imported)
            #expect(try Data(contentsOf: URL(fileURLWithPath: bundle)) == Data(contentsOf: URL(fileURLWithPath: again)), "\(session.id)")
            let restored = try elsewhere.session(session.id)
            #expect(restored.usage == session.usage)
            #expect(restored.calls == session.calls)
            #expect(restored.toolCalls == session.toolCalls)
            #expect(restored.cwd == session.cwd)
            #expect(restored.title == session.title)
            #expect(restored.startedAt == session.startedAt)
            #expect(restored.health.score == session.health.score || restored.live != session.live)
        }
    }

    @Test func importingTwiceChangesNothingAndRebuildKeepsTheSession() throws {
        let (bundle, origin) = try Self.exportedClaudeSession()
        defer { withExtendedLifetime(origin) {} }
        let elsewhere = try TranscriptTree()
        let importer = SessionImporter(workspace: elsewhere.workspace)

        let first = try importer.importBundle(at: bundle, asOfOrigin: false)
        let key = "claude-code:dac34307-159f-4fcd-9c21-35210246ad38"
        let recorded = try elsewhere.workspace.openIndex().importedSession(key: key)
        let before = try elsewhere.index().1
        let second = try importer.importBundle(at: bundle, asOfOrigin: false)
        let after = try elsewhere.index().1

        #expect(first.imported && !second.imported)
        #expect(recorded != nil)
        #expect(try elsewhere.workspace.openIndex().importedSession(key: key) == recorded)
        #expect(before.map(\.id) == after.map(\.id) && before.map(\.usage) == after.map(\.usage))
        // A rebuilt index finds the imported transcripts again.
        let index = try elsewhere.workspace.openIndex()
        _ = try SessionIndexer(index: index, locator: elsewhere.workspace.transcriptLocator).refresh(rebuild: true)
        #expect(try elsewhere.index().1.map(\.id) == before.map(\.id))
    }

    @Test func importedSessionIsFoundBySearch() throws {
        let (bundle, origin) = try Self.exportedClaudeSession()
        defer { withExtendedLifetime(origin) {} }
        let elsewhere = try TranscriptTree()
        _ = try SessionImporter(workspace: elsewhere.workspace).importBundle(at: bundle, asOfOrigin: false)

        let index = try elsewhere.workspace.openIndex()
        _ = try SearchIndexer(index: index).refresh()
        let result = try SessionSearch(index: index, now: Date()).run(.init(query: "hello world", repoCommonDir: nil), memoryScopes: [])

        #expect(result.hits.contains { $0.session == "dac34307-159f-4fcd-9c21-35210246ad38" })
    }

    @Test func aSessionAlreadyIndexedHereIsNotImportedOverItself() throws {
        let (bundle, origin) = try Self.exportedClaudeSession()

        #expect(throws: LsmError.self) { try SessionImporter(workspace: origin.workspace).importBundle(at: bundle, asOfOrigin: false) }
    }

    @Test func cursorEditorConversationsExportButAreNotImported() throws {
        let origin = try TranscriptTree()
        try origin.cursorFixtureDatabase()
        guard let session = try origin.index().1.first else { throw TestFailure("no cursor session") }
        let bundle = origin.folder.child("cursor.lsm.json")
        let report = try SessionExporter(workspace: origin.workspace).export(
            session: session.id, format: .json, redact: false, to: .file(bundle))
        let elsewhere = try TranscriptTree()

        #expect(report.events > 0)
        let error = #expect(throws: LsmError.self) {
            try SessionImporter(workspace: elsewhere.workspace).importBundle(at: bundle, asOfOrigin: false)
        }
        #expect(error?.message.contains("carries no transcript lines") == true)
        #expect(!FileManager.default.fileExists(atPath: elsewhere.folder.child("home/imported/cursor-user")))
    }

    @Test func markdownAndHTMLShowTheConversationWithToolsFolded() throws {
        let origin = try TranscriptTree()
        try origin.claude(
            "-work-app/s1.jsonl",
            [
                userLine(text: "<script>alert(1)</script> fix the jwt expiry"),
                assistantLine(
                    message: "m1", request: "r1", output: 5,
                    content: #"{"type":"tool_use","id":"t1","name":"Bash","input":{"command":"grep -rn exp src/"}}"#),
            ])
        _ = try origin.index()
        let exporter = SessionExporter(workspace: origin.workspace)
        let html = origin.folder.child("s1.html")
        let markdown = origin.folder.child("s1.md")
        _ = try exporter.export(session: "s1", format: .html, redact: false, to: .file(html))
        _ = try exporter.export(session: "s1", format: .markdown, redact: false, to: .file(markdown))

        let page = try String(contentsOfFile: html, encoding: .utf8)
        let text = try String(contentsOfFile: markdown, encoding: .utf8)
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; fix the jwt expiry"))
        #expect(!page.contains("<script>"))
        #expect(page.contains("<details class=\"tool\"><summary>Tool: Bash</summary><pre>grep -rn exp src/</pre></details>"))
        #expect(!page.contains("http://") && !page.contains("https://") && !page.contains("<link"))
        #expect(page.contains("<th>Usage</th>"))
        #expect(text.contains("### User"))
        #expect(text.contains("<details><summary>Tool: Bash</summary>"))
    }

    @Test func exportAllWritesOneBundlePerSession() throws {
        let origin = try TranscriptTree()
        try Self.agents[0].write(origin)
        let sessions = try origin.index().1
        let folder = origin.folder.child("exports")

        let reports = try SessionExporter(workspace: origin.workspace).exportAll(since: nil, format: .json, redact: false, into: folder)

        #expect(reports.count == sessions.count)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".lsm.json") }.count == sessions.count)
    }

    /// The Claude Code fixture with thinking, indexed and exported.
    static func exportedClaudeSession() throws -> (String, TranscriptTree) {
        let origin = try TranscriptTree()
        try origin.fixture("claude/gitai_claude-code-with-thinking.jsonl", asClaude: "-work-app/dac34307-159f-4fcd-9c21-35210246ad38.jsonl")
        _ = try origin.index()
        let bundle = origin.folder.child("bundle.lsm.json")
        _ = try SessionExporter(workspace: origin.workspace).export(session: "dac34307", format: .json, redact: false, to: .file(bundle))
        return (bundle, origin)
    }
}

extension TranscriptTree {
    var workspace: Workspace { Workspace(directory: folder.path, environment: environment) }
}
