import Foundation
import LsmCore
import LsmTestSupport
import Testing

@Suite struct IncrementalIndexingTests {
    @Test func halfWrittenLastLineWaitsForTheNextRun() throws {
        let tree = try TranscriptTree()
        let full = assistantLine(message: "m2", request: "r2", output: 20)
        let cut = full.index(full.startIndex, offsetBy: full.count / 2)
        let path = try tree.claude(
            "p/s1.jsonl", [assistantLine(message: "m1", request: "r1", output: 10), String(full[..<cut])], complete: false)

        let first = try tree.index()
        try tree.append(path, String(full[cut...]) + "\n")
        let second = try tree.index()

        #expect(first.0.malformed == 0)
        #expect(first.1.first?.usage?.output == 10)
        #expect(second.0.malformed == 0)
        #expect(second.1.first?.usage?.output == 30)
        #expect(second.1.first?.calls == 2)
    }

    @Test func grownFileReadsOnlyTheNewLinesAndMatchesAFreshIndex() throws {
        let tree = try TranscriptTree()
        let path = try tree.claude("p/s1.jsonl", [assistantLine(message: "m1", request: "r1", output: 8)])
        try tree.index()
        // The rest of the stream of m1 arrives later, with a larger output count, and a new call.
        try tree.append(
            path,
            assistantLine(message: "m1", request: "r1", output: 407) + "\n" + assistantLine(message: "m2", request: "r2", output: 5) + "\n")

        let (report, sessions) = try tree.index()
        let fresh = try TranscriptTree()
        try fresh.write(fresh.claudeRoot + "/projects/p/s1.jsonl", try String(contentsOfFile: path, encoding: .utf8))

        #expect(report.changedFiles == 1)
        #expect(report.records == 2)
        #expect(sessions.first?.usage?.output == 412)
        #expect(try fresh.index().1.first?.usage == sessions.first?.usage)
    }

    @Test func nothingChangedReadsNothing() throws {
        let tree = try TranscriptTree()
        try tree.claude("p/s1.jsonl", [assistantLine(message: "m1", request: "r1", output: 8)])
        try tree.index()

        let (report, _) = try tree.index()

        #expect(report.changedFiles == 0)
        #expect(report.bytes == 0)
    }

    @Test func replacedFileIsReadAgainFromTheStart() throws {
        let tree = try TranscriptTree()
        let path = try tree.claude(
            "p/s1.jsonl",
            [
                assistantLine(message: "m1", request: "r1", output: 100), assistantLine(message: "m2", request: "r2", output: 200),
            ])
        try tree.index()
        try FileManager.default.removeItem(atPath: path)
        try tree.claude("p/s1.jsonl", [assistantLine(message: "m3", request: "r3", output: 7)])

        let session = try tree.session("s1")

        #expect(session.usage?.output == 7)
        #expect(session.calls == 1)
    }

    @Test func megabyteToolResultLineDoesNotHideTheNextCall() throws {
        let tree = try TranscriptTree()
        let big = String(repeating: "x", count: 1 << 20)
        let toolResult =
            #"{"type":"user","sessionId":"s1","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":""#
            + big + #""}]}}"#
        try tree.claude("p/s1.jsonl", [toolResult, assistantLine(message: "m1", request: "r1", output: 9)])

        let (report, sessions) = try tree.index()

        #expect(report.malformed == 0)
        #expect(sessions.first?.usage?.output == 9)
    }

    @Test func deletedTranscriptKeepsItsSessionInTheIndex() throws {
        let tree = try TranscriptTree()
        let path = try tree.claude("p/s1.jsonl", [assistantLine(message: "m1", request: "r1", output: 8)])
        try tree.index()
        try FileManager.default.removeItem(atPath: path)

        #expect(try tree.session("s1").usage?.output == 8)
    }

    @Test func firstIndexLoadedInBulkCountsLikeFilesIndexedOneAtATime() throws {
        // A resumed session replaying earlier calls, a stream completed in another file, and a
        // subagent's side-chain copy of a main-chain message.
        let files: [(String, [String])] = [
            (
                "p/a.jsonl",
                [
                    assistantLine(session: "a", message: "m1", request: "r1", output: 10),
                    assistantLine(session: "a", message: "m2", request: "r2", output: 3),
                ]
            ),
            (
                "p/b.jsonl",
                [
                    assistantLine(session: "b", message: "m1", request: "r1", output: 10),
                    assistantLine(session: "b", message: "m2", request: "r2", output: 300),
                    assistantLine(session: "b", message: "m3", request: "r3", output: 7),
                ]
            ),
            ("p/a/subagents/agent-x.jsonl", [assistantLine(session: "a", message: "m3", request: "r3-side", output: 7, sidechain: true)]),
        ]
        let bulk = try TranscriptTree()
        for (path, lines) in files { try bulk.claude(path, lines) }
        let oneAtATime = try TranscriptTree()
        for (path, lines) in files {
            try oneAtATime.claude(path, lines)
            try oneAtATime.index()
        }

        let loaded = try bulk.index().1
        let incremental = try oneAtATime.index().1

        #expect(loaded.map(\.id) == incremental.map(\.id))
        #expect(loaded.map(\.usage) == incremental.map(\.usage))
        #expect(loaded.map(\.calls) == incremental.map(\.calls))
        #expect(loaded.first { $0.id == "b" }?.usage?.output == 307)
    }

    @Test func directoriesAndBrokenLinksWhereFilesShouldBeAreSkipped() throws {
        let tree = try TranscriptTree()
        try tree.claude("p/s1.jsonl", [assistantLine(message: "m1", request: "r1", output: 8)])
        try FileManager.default.createDirectory(atPath: tree.claudeRoot + "/projects/p/folder.jsonl", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: tree.claudeRoot + "/projects/p/broken.jsonl", withDestinationPath: "/nonexistent")

        let (report, sessions) = try tree.index()

        #expect(report.files == 1)
        #expect(sessions.map(\.id) == ["s1"])
    }
}

@Suite struct ConcurrentIndexingTests {
    @Test func twoProcessesRefreshingAtOnceCountEveryLineOnce() throws {
        let tree = try TranscriptTree()
        let path = try tree.claude("p/s1.jsonl", [userLine(text: "start")])
        try tree.index()
        for round in 0..<12 {
            // The agent writes a prompt, a tool call that fails and its reply; two lsm processes (a
            // dashboard and a statusline) both notice and read the new lines at once.
            let tool = #"{"type":"tool_use","id":"t\#(round)","name":"Edit","input":{"file_path":"/w/a.swift"}}"#
            let failure =
                #"{"type":"user","sessionId":"s1","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t\#(round)","is_error":true,"content":"no"}]}}"#
            try tree.append(
                path,
                [
                    userLine(text: "prompt \(round)"), assistantLine(message: "m\(round)", request: "r\(round)", output: 1, content: tool),
                    failure,
                ].joined(separator: "\n") + "\n")
            DispatchQueue.concurrentPerform(iterations: 2) { _ in _ = try? tree.index() }
        }
        let fresh = try TranscriptTree()
        try fresh.write(fresh.claudeRoot + "/projects/p/s1.jsonl", try String(contentsOfFile: path, encoding: .utf8))

        let raced = try tree.session("s1")
        let clean = try fresh.session("s1")

        #expect(raced.toolCalls == clean.toolCalls)
        #expect(raced.toolErrors == clean.toolErrors)
        #expect(raced.toolErrors == 12)
        #expect(raced.usage == clean.usage)
    }
}
