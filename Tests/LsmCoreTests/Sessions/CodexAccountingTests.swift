import Foundation
import LsmCore
import LsmTestSupport
import Testing

@Suite struct CodexAccountingTests {
    static func tokenCount(_ time: String, input: Int, cached: Int, output: Int, last: Int = 100, window: Int? = 272_000) -> String {
        let windowField = window.map { ",\"model_context_window\":\($0)" } ?? ""
        return """
            {"timestamp":"\(time)","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":\(input),\
            "cached_input_tokens":\(cached),"output_tokens":\(output),"reasoning_output_tokens":0,"total_tokens":\(input + output)},\
            "last_token_usage":{"input_tokens":\(last),"cached_input_tokens":0,"output_tokens":0,"total_tokens":\(last)}\(windowField)}}}
            """
    }

    static func meta(_ id: String, time: String, fork: String? = nil) -> String {
        let forkField = fork.map { ",\"forked_from_id\":\"\($0)\"" } ?? ""
        return """
            {"timestamp":"\(time)","type":"session_meta","payload":{"id":"\(id)","timestamp":"\(time)","cwd":"/work/app",\
            "cli_version":"0.99.0","git":{"branch":"main","commit_hash":"abc"}\(forkField)}}
            """
    }

    @Test func cumulativeTotalsGiveTheFixturesUsage() throws {
        let tree = try TranscriptTree()
        try tree.fixture(
            "codex/ccusage_token_count_session-alpha.jsonl", asCodex: "sessions/2026/05/13/rollout-2026-05-13T09-00-00-alpha.jsonl")

        let session = try tree.session("alpha")

        #expect(session.usage?.input == 3500 - 750)
        #expect(session.usage?.cacheRead == 750)
        #expect(session.usage?.output == 425)
        #expect(session.calls == 2)
        #expect(session.model == "gpt-5.3-codex")
    }

    @Test func repeatedEventsAndNullInfoAddNothing() throws {
        let tree = try TranscriptTree()
        try tree.codex(
            "sessions/2026/01/01/rollout-2026-01-01T10-00-00-x.jsonl",
            [
                Self.meta("x", time: "2026-01-01T10:00:00Z"),
                #"{"timestamp":"2026-01-01T10:00:01Z","type":"turn_context","payload":{"model":"gpt-5-codex"}}"#,
                Self.tokenCount("2026-01-01T10:00:02Z", input: 1000, cached: 200, output: 50),
                Self.tokenCount("2026-01-01T10:00:02Z", input: 1000, cached: 200, output: 50),
                #"{"timestamp":"2026-01-01T10:00:03Z","type":"event_msg","payload":{"type":"token_count","info":null}}"#,
                Self.tokenCount("2026-01-01T10:00:04Z", input: 3000, cached: 1200, output: 80, last: 136_000),
            ])

        let session = try tree.session("x")

        #expect(session.usage?.input == 1800)
        #expect(session.usage?.cacheRead == 1200)
        #expect(session.usage?.output == 80)
        #expect(session.calls == 2)
        #expect(session.contextFill == 0.5)
        #expect(session.branch == "main")
    }

    @Test func forkedRolloutSkipsTheParentsReplayedRows() throws {
        let tree = try TranscriptTree()
        try tree.codex(
            "sessions/2026/01/02/rollout-2026-01-02T10-00-00-child.jsonl",
            [
                Self.meta("child", time: "2026-01-02T10:00:00.100Z", fork: "parent"),
                Self.meta("parent", time: "2026-01-02T10:00:00.200Z"),
                Self.tokenCount("2026-01-02T10:00:00.300Z", input: 50_000, cached: 10_000, output: 5_000),
                Self.tokenCount("2026-01-02T10:00:00.400Z", input: 90_000, cached: 20_000, output: 9_000),
                Self.tokenCount("2026-01-02T10:00:05Z", input: 91_000, cached: 20_500, output: 9_100),
            ])

        let session = try tree.session("child")

        #expect(session.usage?.input == 500)
        #expect(session.usage?.cacheRead == 500)
        #expect(session.usage?.output == 100)
        #expect(session.calls == 1)
    }

    @Test func archivedCopyOfALiveRolloutCountsOnce() throws {
        let tree = try TranscriptTree()
        let lines = [
            Self.meta("y", time: "2026-01-03T10:00:00Z"), Self.tokenCount("2026-01-03T10:00:01Z", input: 100, cached: 0, output: 10),
        ]
        try tree.codex("sessions/2026/01/03/rollout-2026-01-03T10-00-00-y.jsonl", lines)
        try tree.codex("archived_sessions/rollout-2026-01-03T10-00-00-y.jsonl", lines)

        let (report, sessions) = try tree.index()

        #expect(report.files == 1)
        #expect(sessions.first?.usage?.total == 110)
    }

    @Test func rolloutMovedToTheArchiveAfterIndexingCountsItsEventsOnce() throws {
        let tree = try TranscriptTree()
        let lines = [
            Self.meta("z", time: "2026-01-04T10:00:00Z"),
            #"{"timestamp":"2026-01-04T10:00:01Z","type":"event_msg","payload":{"type":"user_message","message":"add a test"}}"#,
            Self.tokenCount("2026-01-04T10:00:02Z", input: 100, cached: 0, output: 10),
        ]
        let live = try tree.codex("sessions/2026/01/04/rollout-2026-01-04T10-00-00-z.jsonl", lines)
        try tree.index()
        try FileManager.default.createDirectory(atPath: tree.codexRoot + "/archived_sessions", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: live, toPath: tree.codexRoot + "/archived_sessions/rollout-2026-01-04T10-00-00-z.jsonl")

        let (session, timeline) = try tree.summaryAndTimeline("z")

        #expect(session.usage?.total == 110)
        #expect(timeline.events.filter { $0.kind == "prompt" }.count == 1)
    }

    @Test func applyPatchCallsNameTheirFiles() {
        let patch = "*** Begin Patch\n*** Update File: src/main.rs\n@@\n*** Add File: src/new.rs\n*** End Patch"
        #expect(CodexPatch.paths(patch) == ["src/main.rs", "src/new.rs"])
    }
}
