import Foundation
import LsmCore
import LsmTestSupport
import Testing

@Suite struct CursorReaderTests {
    static let composer = "00812842-49fe-4699-afae-bb22cda3f6e1"

    @Test func theRealDatabaseGivesTheConversationWithItsModelPromptsAndNoUsage() throws {
        let tree = try TranscriptTree()
        try tree.cursorFixtureDatabase()
        try tree.cursorWorkspace("4f1e", folderURL: "file:///work/my%20app", composerIDs: [Self.composer])

        let session = try tree.session(Self.composer)
        let detail = try tree.cursorTimeline(Self.composer)

        #expect(session.agent == "cursor")
        #expect(session.title == "Retrieve SQLite cursor queries")
        #expect(session.model == "gpt-5")
        #expect(session.cwd == "/work/my app")
        // Cursor keeps no billed tokens: usage and cost are unknown, never zero or estimated.
        #expect(session.usage == nil)
        #expect(session.costUSD == nil)
        #expect(session.calls == 0)
        #expect(session.contextTokens == 59459)
        #expect(session.contextWindow == 272_000)
        #expect(session.startedAt == Date(timeIntervalSince1970: 1_759_861_723.898))
        #expect(session.lastActivityAt == Date(timeIntervalSince1970: 1_759_863_763.312))
        let prompts = detail.events.filter { $0.kind == "prompt" }.map(\.text)
        #expect(prompts.count == 2)
        #expect(prompts.contains("Give me the queries used in the cursor sqlite storage db"))
        #expect(prompts.contains { $0.hasPrefix("For the code present, we get this error:") })
        #expect(detail.toolUses.map(\.tool) == ["codebase_search"])
    }

    @Test func contextComesFromTheNewestBubbleWhenTheConversationHasNone() throws {
        let tree = try TranscriptTree()
        try tree.cursorDatabase([
            (
                "composerData:c1",
                #"{"composerId":"c1","name":"Fix","createdAt":1767261600000,"modelConfig":{"modelName":"default"},"fullConversationHeadersOnly":[{"bubbleId":"b1","type":1}]}"#
            ),
            (
                "bubbleId:c1:b1",
                #"{"type":1,"bubbleId":"b1","text":"fix the build","createdAt":"2026-01-01T10:00:00.000Z","modelInfo":{"modelName":"claude-4.5-sonnet"},"contextWindowStatusAtCreation":{"tokensUsed":1000,"tokenLimit":200000}}"#
            ),
            (
                "bubbleId:c1:b2",
                #"{"type":1,"bubbleId":"b2","text":"and the tests","createdAt":"2026-01-01T10:05:00.000Z","contextWindowStatusAtCreation":{"tokensUsed":50000,"tokenLimit":200000}}"#
            ),
        ])

        let session = try tree.session("c1")

        #expect(session.contextTokens == 50000)
        #expect(session.contextWindow == 200_000)
        #expect(session.contextFill == 0.25)
        // Auto (`default`) names no model; the bubbles do.
        #expect(session.model == "claude-4.5-sonnet")
        #expect(session.usage == nil)
    }

    @Test func toolCallsNameTheirFilesInTheConversationsFolder() throws {
        let tree = try TranscriptTree()
        try tree.cursorDatabase([
            ("composerData:c2", #"{"composerId":"c2","fullConversationHeadersOnly":[{"bubbleId":"t1","type":2}]}"#),
            (
                "bubbleId:c2:t1",
                #"{"type":2,"createdAt":"2026-01-01T10:00:00Z","toolFormerData":{"name":"edit_file","status":"completed","rawArgs":"{\"target_file\":\"src/app.swift\",\"instructions\":\"x\"}"}}"#
            ),
            (
                "bubbleId:c2:t2",
                #"{"type":2,"createdAt":"2026-01-01T10:01:00Z","toolFormerData":{"name":"apply_patch","status":"error","params":{"patch":"*** Begin Patch\n*** Update File: /abs/other.swift\n@@"}}}"#
            ),
            ("bubbleId:c2:t3", "not json"),
            ("bubbleId:gone:t4", #"{"type":1,"text":"from a deleted conversation"}"#),
        ])
        try tree.cursorWorkspace("aa", folderURL: "file:///work/app", composerIDs: ["c2"])

        let (report, _) = try tree.index()
        let detail = try tree.cursorTimeline("c2")

        let uses = Set(detail.toolUses.map { "\($0.tool) \($0.path)" })
        #expect(uses == ["edit_file /work/app/src/app.swift", "apply_patch /abs/other.swift"])
        #expect(detail.events.map(\.kind).contains("tool-error"))
        #expect(report.malformed == 1)
    }

    @Test func theCLIsAgentTranscriptGivesItsPromptsToolsAndFolder() throws {
        let tree = try TranscriptTree()
        let fixture = TranscriptTree.fixtures.appendingPathComponent("cursor/gitai_cursor-agent-transcript-simple.jsonl")
        let project = tree.cursorConfigDir + "/projects/Users-aidancunniffe-Desktop-testing-gitflows-git-ai"
        try tree.write(project + "/agent-transcripts/9c1d.jsonl", try String(contentsOf: fixture, encoding: .utf8))

        let session = try tree.session("9c1d")
        let detail = try tree.cursorTimeline("9c1d")

        #expect(session.agent == "cursor")
        #expect(session.usage == nil)
        #expect(session.cwd == "/Users/aidancunniffe/Desktop/testing-gitflows-git-ai")
        #expect(detail.events.filter { $0.kind == "prompt" }.map(\.text) == ["Generate a file with all the HBO shows from the 90's in it"])
        let uses = Set(detail.toolUses.map { "\($0.tool) \($0.path)" })
        #expect(uses.contains("Write /Users/aidancunniffe/Desktop/testing-gitflows-git-ai/hbo-shows-1990s.txt"))
        #expect(uses.contains("WebSearch "))
    }

    @Test func aGrownAgentTranscriptIsReadFromWhereItStopped() throws {
        let tree = try TranscriptTree()
        let path = try tree.write(
            tree.cursorConfigDir + "/projects/p/agent-transcripts/s/s.jsonl",
            #"{"role":"user","message":{"content":[{"type":"text","text":"<user_query>\nfirst\n</user_query>"}]}}"# + "\n")
        try tree.index()

        try tree.append(path, #"{"role":"user","message":{"content":"second"}}"# + "\n{broken\n")
        let (report, _) = try tree.index()

        #expect(try tree.cursorTimeline("s").events.filter { $0.kind == "prompt" }.map(\.text) == ["first", "second"])
        #expect(report.malformed == 1)
    }

    @Test func theCLIsChatStoreGivesTitleModelAndStart() throws {
        let tree = try TranscriptTree()
        let meta = #"{"agentId":"9c1d","name":"HBO shows","mode":"agent","createdAt":1767261600000,"lastUsedModel":"gpt-5"}"#
        let hex = meta.utf8.map { String(format: "%02x", $0) }.joined()
        let path = tree.cursorConfigDir + "/chats/0cc175b9c0f1b6a831c399e269772661/9c1d/store.db"
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try SQLiteShell.execute(
            path,
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT); CREATE TABLE blobs (id TEXT PRIMARY KEY, data BLOB); INSERT INTO meta VALUES ('0', '\(hex)');"
        )

        let session = try tree.session("9c1d")

        #expect(session.title == "HBO shows")
        #expect(session.model == "gpt-5")
        #expect(session.startedAt == Date(timeIntervalSince1970: 1_767_261_600))
        #expect(session.usage == nil)
    }

    @Test func aLockedDatabaseIsReadFromACopy() throws {
        let tree = try TranscriptTree()
        let path = try tree.cursorFixtureDatabase()
        let owner = try SQLiteShell(path)
        defer { owner.close() }
        try owner.run("BEGIN EXCLUSIVE; DELETE FROM cursorDiskKV;")

        let (report, sessions) = try tree.index()

        #expect(report.unreadable.isEmpty)
        #expect(sessions.map(\.id) == [Self.composer])
    }

    @Test func everyRootCanBeMovedByTheEnvironment() {
        let locator = TranscriptLocator(environment: ["HOME": "/nowhere", "CURSOR_USER_DIR": "/", "CURSOR_CONFIG_DIR": "/cli"])

        #expect(locator.cursorUserDirs == ["/"])
        #expect(locator.cursorConfigDir == "/cli")
        #expect(TranscriptLocator(environment: ["HOME": "/h"]).cursorConfigDir == "/h/.cursor")
    }
}
