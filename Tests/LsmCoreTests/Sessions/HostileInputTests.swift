import Foundation
import LsmCore
import LsmTestSupport
import Testing

/// Transcripts that are corrupt in ways that once could crash lsm or wedge its index.
@Suite struct HostileInputTests {
    @Test func lineLongerThanTheReadBufferThenMoreFilesOnTheSameThread() throws {
        let tree = try TranscriptTree()
        let huge = String(repeating: "y", count: 5 << 20)
        let toolResult =
            #"{"type":"user","sessionId":"s1","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":""#
            + huge + #""}]}}"#
        try tree.claude("p/s1.jsonl", [toolResult, assistantLine(message: "m1", request: "r1", output: 9)])
        for index in 0..<6 {
            try tree.claude("p/other\(index).jsonl", [assistantLine(session: "o\(index)", message: "x\(index)", request: "r", output: 1)])
        }

        let (report, sessions) = try tree.index()

        #expect(report.malformed == 0)
        #expect(sessions.first { $0.id == "s1" }?.usage?.output == 9)
        #expect(sessions.count == 7)
    }

    @Test func absurdTokenCountsReadAsZeroInsteadOfOverflowing() throws {
        let tree = try TranscriptTree()
        let huge = assistantLine(message: "m1", request: "r1", input: Int.max, output: 1)
        let negative = assistantLine(message: "m2", request: "r2", input: -5, output: 7)
        try tree.claude("p/s1.jsonl", [huge, negative, assistantLine(message: "m3", request: "r3", output: 2)])

        let session = try tree.session("s1")

        #expect(session.usage?.input == 10)
        #expect(session.usage?.output == 10)
        #expect(session.calls == 3)
    }

    @Test func impossibleTimestampsAreIgnored() throws {
        let tree = try TranscriptTree()
        try tree.codex(
            "sessions/2026/01/01/rollout-2026-01-01T10-00-00-x.jsonl",
            [
                #"{"timestamp":1e300,"type":"session_meta","payload":{"id":"x","cwd":"/w"}}"#,
                #"{"timestamp":-1e300,"type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":10,"cached_input_tokens":0,"output_tokens":1}}}}"#,
                #"{"timestamp":"9999-01-01T00:00:00Z","type":"event_msg","payload":{"type":"user_message","message":"hi"}}"#,
            ])

        let session = try tree.session("x")

        #expect(session.usage?.total == 11)
        #expect(session.startedAt == nil)
        #expect((0...100).contains(session.health.score))
    }

    @Test func contextWindowOfZeroIsUnknown() throws {
        let tree = try TranscriptTree()
        try tree.codex(
            "sessions/2026/01/01/rollout-2026-01-01T10-00-00-y.jsonl",
            [
                #"{"timestamp":"2026-01-01T10:00:00Z","type":"session_meta","payload":{"id":"y","cwd":"/w"}}"#,
                #"{"timestamp":"2026-01-01T10:00:01Z","type":"turn_context","payload":{"model":"gpt-mystery"}}"#,
                #"{"timestamp":"2026-01-01T10:00:02Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":10,"cached_input_tokens":0,"output_tokens":1},"last_token_usage":{"input_tokens":10,"cached_input_tokens":0,"output_tokens":1},"model_context_window":0}}}"#,
            ])

        let session = try tree.session("y")

        #expect(session.contextWindow == nil)
        #expect(session.contextFill == nil)
    }

    @Test func nullCacheCreationFallsBackToTheTotal() throws {
        let tree = try TranscriptTree()
        let line = assistantLine(message: "m1", request: "r1", output: 1, cacheWrite: 300)
            .replacingOccurrences(of: #""output_tokens":1}"#, with: #""output_tokens":1,"cache_creation":null}"#)
        try tree.claude("p/s1.jsonl", [line])

        #expect(try tree.session("s1").usage?.cacheWrite == 300)
    }

    @Test func messageLinesWithAndWithoutRequestIdAreDifferentCalls() throws {
        let tree = try TranscriptTree()
        try tree.claude(
            "p/s1.jsonl", [assistantLine(message: "m1", request: "r1", output: 5), assistantLine(message: "m1", request: nil, output: 7)])

        let session = try tree.session("s1")

        #expect(session.calls == 2)
        #expect(session.usage?.output == 12)
    }

    @Test func fileThatShrankButStaysPastTheOffsetIsReadAgain() throws {
        let tree = try TranscriptTree()
        let padding = String(repeating: " ", count: 2_000)
        let path = try tree.claude("p/s1.jsonl", [assistantLine(message: "m1", request: "r1", output: 100), padding])
        try tree.index()
        // Same file, rewritten shorter than before but longer than the last complete line.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 0)
        try handle.write(
            contentsOf: Data(
                (assistantLine(message: "m9", request: "r9", output: 3) + "\n" + String(repeating: " ", count: 500) + "\n").utf8))
        try handle.close()

        let session = try tree.session("s1")

        #expect(session.usage?.output == 3)
    }
}
