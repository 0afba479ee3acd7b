import Foundation
import LsmCore
import LsmTestSupport
import Testing

@Suite struct GeminiReaderTests {
    /// `sha256("/work/app")`: the folder name older Gemini CLIs give the project `/work/app`.
    static let appHash = "70467eff2e0a236497f0693901c782c674520c598f57e72b22e636e00311bd81"

    static func meta(_ id: String, hash: String = appHash) -> String {
        #"{"sessionId":"\#(id)","projectHash":"\#(hash)","startTime":"2026-01-01T10:00:00.000Z","lastUpdated":"2026-01-01T10:00:00.000Z","kind":"main"}"#
    }

    static func user(_ id: String, _ text: String, time: String = "2026-01-01T10:00:01.000Z") -> String {
        #"{"id":"\#(id)","timestamp":"\#(time)","type":"user","content":[{"text":"\#(text)"}]}"#
    }

    static func gemini(
        _ id: String, input: Int, output: Int, cached: Int = 0, thoughts: Int = 0, tool: Int = 0, total: Int? = nil,
        time: String = "2026-01-01T10:00:02.000Z"
    ) -> String {
        let sum = total ?? (input + output + thoughts + tool)
        return """
            {"id":"\(id)","timestamp":"\(time)","type":"gemini","content":"ok","model":"gemini-2.5-pro",\
            "tokens":{"input":\(input),"output":\(output),"cached":\(cached),"thoughts":\(thoughts),"tool":\(tool),"total":\(sum)}}
            """
    }

    @Test func theFixtureGivesItsSessionModelFolderAndPrompt() throws {
        let tree = try TranscriptTree()
        // The project folder is named by the hash of the folder the fixture's tools worked in.
        let hash = "28be4f5feb651b48879e1281570b925ec19d4e00cd5aa13d3b3f17fe9efd858d"
        try tree.write(
            tree.geminiRoot + "/tmp/\(hash)/chats/session-2025-12-06T18-25-38b36361.jsonl",
            try tree.fixtureText("gemini/gitai_gemini-session-simple.jsonl"))

        let (session, detail) = try tree.summaryAndTimeline("session-2025-12-06T18-25-38b36361")

        #expect(session.agent == "gemini")
        #expect(session.model == "gemini-2.5-flash")
        #expect(session.cwd == "/Users/svarlamov/projects/testing-git")
        #expect(detail.texts("prompt") == ["add another hello bob console log to @index.ts"])
        #expect(detail.toolUses.contains { $0.tool == "replace" && $0.path == "/Users/svarlamov/projects/testing-git/index.ts" })
        // The fixture records no tokens: no calls, and Gemini's usage is zero rather than unknown.
        #expect(session.calls == 0)
        #expect(abs((session.lastActivityAt?.timeIntervalSince1970 ?? 0) - 1765045669.718) < 0.01)
    }

    @Test func rewindDropsTheLaterMessagesAndTheirTokens() throws {
        let tree = try TranscriptTree()
        try tree.write(tree.geminiRoot + "/tmp/app/.project_root", "/work/app\n")
        try tree.gemini(
            project: "app", "session-2026-01-01T10-00-g1aaaaaa.jsonl",
            [
                Self.meta("g1"),
                Self.user("u1", "first"),
                Self.gemini("m1", input: 1000, output: 100, cached: 400, thoughts: 50),
                Self.user("u2", "second"),
                Self.gemini("m2", input: 2000, output: 200),
                #"{"$rewindTo":"u2"}"#,
                Self.user("u3", "third"),
                Self.gemini("m3", input: 1500, output: 10, cached: 500, tool: 20),
            ])

        let (session, detail) = try tree.summaryAndTimeline("g1")

        #expect(detail.texts("prompt") == ["first", "third"])
        #expect(session.calls == 2)
        // input − cached + tool; cached as cache reads; output + thoughts.
        #expect(session.usage?.input == 600 + 1020)
        #expect(session.usage?.cacheRead == 400 + 500)
        #expect(session.usage?.output == 150 + 10)
        #expect(session.cwd == "/work/app")
    }

    @Test func theLastRecordOfAMessageWinsAndSetUpdatesTheSession() throws {
        let tree = try TranscriptTree()
        try tree.gemini(
            project: Self.appHash, "session-2026-01-01T10-00-g2aaaaaa.jsonl",
            [
                Self.meta("g2"),
                Self.user("u1", "fix the parser"),
                Self.gemini("m1", input: 10, output: 1),
                Self.gemini("m1", input: 1000, output: 100, time: "2026-01-01T10:00:05.000Z"),
                #"{"$set":{"summary":"Fix the parser","lastUpdated":"2026-01-01T11:00:00.000Z"}}"#,
            ])

        let session = try tree.session("g2")

        #expect(session.calls == 1)
        #expect(session.usage?.input == 1000)
        #expect(session.usage?.output == 100)
        #expect(session.title == "Fix the parser")
        #expect(session.lastActivityAt?.timeIntervalSince1970 == 1_767_265_200)
    }

    @Test func aTotalThatCountsTheCacheSeparatelyKeepsTheInput() throws {
        let tree = try TranscriptTree()
        try tree.gemini(
            project: Self.appHash, "session-2026-01-01T10-00-g3aaaaaa.jsonl",
            [Self.meta("g3"), Self.gemini("m1", input: 1000, output: 100, cached: 300, total: 1400)])

        let session = try tree.session("g3")

        #expect(session.usage?.input == 1000)
        #expect(session.usage?.cacheRead == 300)
    }

    @Test func malformedLinesAreSkippedAndCounted() throws {
        let tree = try TranscriptTree()
        try tree.gemini(
            project: Self.appHash, "session-2026-01-01T10-00-g4aaaaaa.jsonl",
            [Self.meta("g4"), "{not json", Self.user("u1", "still read"), "[1,2", Self.gemini("m1", input: 5, output: 5)])

        let (report, _) = try tree.index()
        let (session, detail) = try tree.summaryAndTimeline("g4")

        #expect(report.malformed == 2)
        #expect(detail.texts("prompt") == ["still read"])
        #expect(session.calls == 1)
    }

    @Test func aLegacyDocumentIsReadUnlessItWasMigrated() throws {
        let tree = try TranscriptTree()
        let document = """
            {"sessionId":"g5","projectHash":"\(Self.appHash)","startTime":"2026-01-01T10:00:00.000Z",\
            "lastUpdated":"2026-01-01T10:05:00.000Z","messages":[\(Self.user("u1", "legacy")),\(Self.gemini("m1", input: 70, output: 7))]}
            """
        try tree.write(tree.geminiRoot + "/tmp/\(Self.appHash)/chats/session-2026-01-01T10-00-g5.json", document)
        try tree.write(
            tree.geminiRoot + "/tmp/\(Self.appHash)/chats/session-2026-01-01T10-00-g6.json",
            document.replacingOccurrences(of: "g5", with: "g6"))
        try tree.gemini(project: Self.appHash, "session-2026-01-01T10-00-g6.jsonl", [Self.meta("g6"), Self.user("u1", "migrated")])

        let (_, legacy) = try tree.summaryAndTimeline("g5")
        let (migrated, detail) = try tree.summaryAndTimeline("g6")

        #expect(legacy.texts("prompt") == ["legacy"])
        #expect(detail.texts("prompt") == ["migrated"])
        #expect(migrated.calls == 0)
    }

    @Test func geminiCLIHomeMovesTheRoot() {
        let locator = TranscriptLocator(environment: ["HOME": "/home/me", "GEMINI_CLI_HOME": "/elsewhere"])

        #expect(locator.geminiRoot == "/elsewhere/.gemini")
        #expect(TranscriptLocator(environment: ["HOME": "/home/me"]).geminiRoot == "/home/me/.gemini")
    }
}

/// Corrupt numbers in the whole-document and Gemini readers read as nothing, never as a crash.
@Suite struct AgentHostileInputTests {
    @Test func geminiTokenCountsPastATrillionReadAsZero() throws {
        let tree = try TranscriptTree()
        try tree.gemini(
            project: "p", "session-x.jsonl",
            [
                #"{"id":"m1","timestamp":"2026-01-01T10:00:02.000Z","type":"gemini","content":"ok","tokens":{"input":1,"output":9223372036854775807,"thoughts":1}}"#
            ])

        let sessions = try tree.index().1

        #expect(sessions.first?.usage?.output == 1)
    }

    @Test func copilotUsageOf1e20DoesNotCrash() throws {
        let tree = try TranscriptTree()
        let document =
            #"{"version":3,"sessionId":"c1","requests":[{"message":{"text":"hi"},"timestamp":1767261600000,"modelId":"copilot/gpt-5","usage":{"promptTokens":1e20,"completionTokens":7}}]}"#
        try tree.copilotChat(workspace: "w", "c1.json", document)

        let session = try #require(try tree.index().1.first { $0.id == "c1" })

        #expect(session.usage?.output ?? 7 == 7)
    }

    @Test func copilotCLIErrorNullIsNoToolError() throws {
        let tree = try TranscriptTree()
        try tree.copilotCLI(
            "s",
            [
                #"{"type":"session.start","data":{"sessionId":"s","context":{"cwd":"/w"}},"timestamp":"2026-01-01T10:00:00Z"}"#,
                #"{"type":"tool.execution_complete","data":{"toolCallId":"t","success":true,"error":null},"timestamp":"2026-01-01T10:00:01Z"}"#,
            ])

        let sessions = try tree.index().1

        #expect(sessions.allSatisfy { $0.toolErrors == 0 })
    }
}
