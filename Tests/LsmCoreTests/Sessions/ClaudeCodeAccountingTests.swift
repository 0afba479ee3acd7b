import Foundation
import LsmCore
import LsmTestSupport
import Testing

@Suite struct ClaudeCodeAccountingTests {
    @Test func realTranscriptWithStreamedBlocksCountsTwoCalls() throws {
        let tree = try TranscriptTree()
        try tree.fixture("claude/gitai_claude-code-with-thinking.jsonl", asClaude: "p/dac34307-159f-4fcd-9c21-35210246ad38.jsonl")

        let session = try tree.session("dac34307-159f-4fcd-9c21-35210246ad38")

        // The provenance notes: {in 10, cw 6890, cr 12861, out 407} and {in 8, cw 571, cr 19751, out 77}.
        #expect(session.calls == 2)
        #expect(session.usage?.input == 18)
        #expect(session.usage?.output == 484)
        #expect(session.usage?.cacheWrite == 6890 + 571)
        #expect(session.usage?.cacheRead == 12861 + 19751)
        #expect(session.usage?.total == 18 + 484 + 7461 + 32612)
        #expect(session.branch == "master")
        #expect(session.cwd == "/Users/svarlamov/projects/testing-git-2")
    }

    @Test func streamedPartialsKeepTheLargestCopyWhateverTheOrder() throws {
        let tree = try TranscriptTree()
        try tree.claude(
            "p/s1.jsonl",
            [
                assistantLine(message: "msg_1", request: "req_1", output: 407),
                assistantLine(message: "msg_1", request: "req_1", output: 8),
                assistantLine(message: "msg_1", request: "req_1", output: 8),
            ])

        let session = try tree.session("s1")

        #expect(session.calls == 1)
        #expect(session.usage?.output == 407)
    }

    @Test func sideChainCopyOfMainChainMessageIsDropped() throws {
        let tree = try TranscriptTree()
        try tree.claude(
            "p/s1.jsonl",
            [
                assistantLine(message: "msg_1", request: "req_main", output: 100),
                assistantLine(message: "msg_1", request: "req_side", output: 100, sidechain: true),
                assistantLine(message: "msg_2", request: "req_2", output: 5, sidechain: true),
            ])

        let session = try tree.session("s1")

        // msg_1 counts once (main chain); msg_2 only ever ran on the side chain, so it counts.
        #expect(session.calls == 2)
        #expect(session.usage?.output == 105)
    }

    @Test func subagentFilesCountTowardsTheParentSession() throws {
        let tree = try TranscriptTree()
        try tree.claude("p/parent.jsonl", [assistantLine(session: "parent", message: "msg_p", request: "r1", output: 10)])
        try tree.claude(
            "p/parent/subagents/agent-a1.jsonl",
            [assistantLine(session: "parent", message: "msg_sub", request: "r2", output: 20, sidechain: true)])

        let sessions = try tree.index().1

        #expect(sessions.map(\.id) == ["parent"])
        #expect(sessions.first?.usage?.output == 30)
        #expect(sessions.first?.calls == 2)
    }

    @Test func subagentFileWithoutSessionIdUsesItsFolder() throws {
        let tree = try TranscriptTree()
        try tree.fixture(
            "claude/gitai_subagent_layout/sess-parent-abc/subagents/agent-a1b2c3d4e5f6.jsonl",
            asClaude: "p/sess-parent-abc/subagents/agent-a1b2c3d4e5f6.jsonl")

        #expect(try tree.index().1.map(\.id) == ["sess-parent-abc"])
    }

    @Test func resumedSessionReplayingEarlierCallsCountsThemOnce() throws {
        let tree = try TranscriptTree()
        let original = [
            assistantLine(session: "first", message: "msg_1", request: "r1", output: 10, time: "2026-01-01T10:00:00Z"),
            assistantLine(session: "first", message: "msg_2", request: "r2", output: 20, time: "2026-01-01T10:01:00Z"),
        ]
        try tree.claude("p/a-first.jsonl", original)
        // The resumed file (another session id) starts by replaying the first session's calls; equal
        // copies count once, for the file first in path order.
        try tree.claude(
            "p/b-resumed.jsonl",
            [
                assistantLine(session: "resumed", message: "msg_1", request: "r1", output: 10, time: "2026-01-01T10:00:00Z"),
                assistantLine(session: "resumed", message: "msg_2", request: "r2", output: 20, time: "2026-01-01T10:01:00Z"),
                assistantLine(session: "resumed", message: "msg_3", request: "r3", output: 40, time: "2026-01-02T09:00:00Z"),
            ])

        let sessions = try tree.index().1

        #expect(sessions.reduce(0) { $0 + ($1.usage?.output ?? 0) } == 70)
        #expect(sessions.first { $0.id == "first" }?.usage?.output == 30)
        #expect(sessions.first { $0.id == "resumed" }?.usage?.output == 40)
    }

    @Test func syntheticAndApiErrorLinesAreNotCalls() throws {
        let tree = try TranscriptTree()
        try tree.claude(
            "p/s1.jsonl",
            [
                assistantLine(message: "msg_1", request: "r1", output: 10),
                assistantLine(message: "msg_syn", request: "r2", model: "<synthetic>", input: 0, output: 0),
                #"{"type":"assistant","sessionId":"s1","isApiErrorMessage":true,"timestamp":"2026-01-01T10:05:00Z","message":{"id":"e","model":"<synthetic>","content":[{"type":"text","text":"Claude AI usage limit reached|1754424000"}],"usage":{"input_tokens":0,"output_tokens":0}}}"#,
            ])

        let session = try tree.session("s1")

        #expect(session.calls == 1)
        #expect(session.model == "claude-sonnet-4-5-20250929")
    }

    @Test func unknownRecordTypesAndMalformedLinesAreSkippedAndCounted() throws {
        let tree = try TranscriptTree()
        try tree.claude(
            "p/s1.jsonl",
            [
                #"{"type":"some-future-record","sessionId":"s1","payload":{"usage":{"input_tokens":999}}}"#,
                "this is not json",
                "\u{01}\u{02}\u{FFFD}binary",
                #"{"type":"assistant","sessionId":"s1","message":{"id":"trunc"#,
                assistantLine(message: "msg_1", request: "r1", output: 10),
            ])

        let (report, sessions) = try tree.index()

        #expect(report.malformed == 3)
        #expect(report.records == 5)
        #expect(sessions.first?.usage?.output == 10)
        #expect(sessions.first?.calls == 1)
    }

    @Test func cacheWritesSplitIntoFiveMinuteAndOneHour() throws {
        let tree = try TranscriptTree()
        try tree.claude(
            "p/s1.jsonl",
            [
                assistantLine(
                    message: "m1", request: "r1", model: "claude-opus-4-6", input: 0, output: 0, cacheWrite: 3000, cacheSplit: (1000, 2000)),
                assistantLine(message: "m2", request: "r2", model: "claude-opus-4-6", input: 0, output: 0, cacheWrite: 500),
            ])

        let session = try tree.session("s1")

        #expect(session.usage?.cacheWrite == 3500)
        // Opus 4.6: 5-minute writes at $6.25, 1-hour writes at 2 × $5 input, per million tokens.
        let expected: Double = (1000 * 6.25 + 2000 * 10 + 500 * 6.25) / 1_000_000
        let cost: Double = session.costUSD ?? 0
        #expect(abs(cost - expected) < 1e-12)
    }

    @Test func contextFillComesFromTheLastMainChainCall() throws {
        let tree = try TranscriptTree()
        try tree.claude(
            "p/s1.jsonl",
            [
                assistantLine(
                    message: "m1", request: "r1", input: 100, output: 1, cacheWrite: 1000, cacheRead: 48_900, time: "2026-01-01T10:00:00Z"),
                assistantLine(
                    message: "m2", request: "r2", input: 1, output: 1, cacheRead: 190_000, sidechain: true, time: "2026-01-01T10:05:00Z"),
            ])

        let session = try tree.session("s1")

        #expect(session.contextTokens == 50_000)
        #expect(session.contextWindow == 200_000)
        #expect(session.contextFill == 0.25)
    }

    @Test func compactionsAreCounted() throws {
        let tree = try TranscriptTree()
        try tree.fixture("claude/claudecodelog_dag_compact_after_rewind.jsonl", asClaude: "p/s1.jsonl")

        let session = try tree.session("s1")

        #expect(session.compactions == 1)
        #expect(session.calls == 5)
    }

    @Test func unknownModelHasNullCostNotZero() throws {
        let tree = try TranscriptTree()
        try tree.claude("p/s1.jsonl", [assistantLine(message: "m1", request: "r1", model: "claude-mystery-9", output: 10)])

        let session = try tree.session("s1")

        #expect(session.costUSD == nil)
        #expect(session.unpricedModels == ["claude-mystery-9"])
    }
}
