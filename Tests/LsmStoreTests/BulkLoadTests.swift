import Foundation
import LsmStore
import LsmTestSupport
import Testing

/// A bulk load (a first index) leaves the lookup indexes and the choice of winners to its end; the
/// index it leaves must be the one that writing file by file leaves, however the load ends.
@Suite struct BulkLoadTests {
    /// Three files whose calls compete: a stream completed in a later file, a side-chain copy of a
    /// main-chain message under another key, equal copies that only the path orders, and lone calls.
    static let files: [TranscriptUpdate] = [
        update(
            "/t/a.jsonl", session: "s1",
            calls: [
                call("m1|r1", session: "s1", output: 10), call("m2|r2-side", session: "s1", output: 50, sidechain: true),
                call("m3|r3", session: "s1", output: 7), call("m5|r5", session: "s1", output: 5),
            ]),
        update(
            "/t/b.jsonl", session: "s1",
            calls: [
                call("m1|r1", session: "s1", output: 400), call("m2|r2", session: "s1", output: 50),
                call("m3|r3", session: "s1", output: 7),
            ]),
        update(
            "/t/c.jsonl", session: "s2",
            calls: [call("m4|r4", session: "s2", output: 9, sidechain: true), call("m3|r3", session: "s2", output: 7, sidechain: true)]),
    ]

    @Test func bulkLoadDecidesTheWinnersThatFileByFileWritesDecide() throws {
        let folder = try TemporaryDirectory()
        let fileByFile = try Self.fileByFile(folder.child("a.sqlite"), Self.files)
        let bulk = try IndexDatabase(path: folder.child("b.sqlite"))

        try bulk.beginBulkLoad()
        try bulk.apply(Array(Self.files[..<2]))
        try bulk.apply(Array(Self.files[2...]))
        try bulk.finishBulkLoad()
        try bulk.settleStaleSessions()

        let dump = try Self.dump(bulk, in: folder)
        #expect(dump == (try Self.dump(fileByFile, in: folder)))
        // b's completed m1 and main-chain m2, a's m3 (first by path) and m5, c's lone m4.
        #expect(
            try Self.query(bulk, "SELECT group_concat(key, ' ') FROM (SELECT key FROM call WHERE winner = 1 ORDER BY key)", in: folder)
                == "m1|r1 m2|r2 m3|r3 m4|r4 m5|r5")
    }

    @Test func killedBulkLoadIsFinishedByTheNextRun() throws {
        let folder = try TemporaryDirectory()
        let fileByFile = try Self.fileByFile(folder.child("a.sqlite"), Self.files)
        let path = folder.child("b.sqlite")
        do {
            let killed = try IndexDatabase(path: path)
            try killed.beginBulkLoad()
            try killed.apply(Array(Self.files[..<2]))
        }

        // Another run writes while the load is pending: it leaves winners and summaries to the end.
        let next = try IndexDatabase(path: path)
        try next.apply(Self.files[2])
        try next.settleStaleSessions()
        let staleWhilePending = try Self.query(next, "SELECT count(*) FROM staleSession", in: folder)
        try next.finishBulkLoad()
        try next.settleStaleSessions()

        #expect(staleWhilePending == "2")
        #expect(try Self.dump(next, in: folder) == (try Self.dump(fileByFile, in: folder)))
    }

    @Test func copyThatLostBeforeIsDecidedAgainWhenItsRivalGoesDuringALoad() throws {
        let folder = try TemporaryDirectory()
        var replaced = Self.files[1]
        replaced.startsOver = true
        replaced.expected = .offset(replaced.file.parsedOffset)
        replaced.calls.removeAll { $0.key == "m2|r2" }
        let fileByFile = try Self.fileByFile(folder.child("a.sqlite"), Self.files + [replaced])
        let bulk = try Self.fileByFile(folder.child("b.sqlite"), Self.files)

        try bulk.beginBulkLoad()
        try bulk.apply(replaced)
        try bulk.finishBulkLoad()
        try bulk.settleStaleSessions()

        // a's side-chain copy of m2 counts again once b's main-chain copy is gone.
        #expect(try Self.query(bulk, "SELECT winner FROM call WHERE key = 'm2|r2-side'", in: folder) == "1")
        #expect(try Self.dump(bulk, in: folder) == (try Self.dump(fileByFile, in: folder)))
    }

    @Test func finishedLoadHasTheIndexesTheMigrationsMade() throws {
        let folder = try TemporaryDirectory()
        let fresh = try IndexDatabase(path: folder.child("a.sqlite"))
        let loaded = try IndexDatabase(path: folder.child("b.sqlite"))
        let indexes =
            "SELECT group_concat(name || ': ' || sql, char(10)) FROM (SELECT name, sql FROM sqlite_schema WHERE type = 'index' ORDER BY name)"

        try loaded.beginBulkLoad()
        let duringLoad = try Self.query(loaded, indexes, in: folder)
        try loaded.finishBulkLoad()

        #expect(duringLoad != (try Self.query(fresh, indexes, in: folder)))
        #expect(try Self.query(loaded, indexes, in: folder) == (try Self.query(fresh, indexes, in: folder)))
    }

    // MARK: - Helpers

    static func fileByFile(_ path: String, _ updates: [TranscriptUpdate]) throws -> IndexDatabase {
        let index = try IndexDatabase(path: path)
        for update in updates { try index.apply(update) }
        try index.settleStaleSessions()
        return index
    }

    /// The rows that depend on which copies count, in an order independent of file ids.
    static func dump(_ index: IndexDatabase, in folder: TemporaryDirectory) throws -> String {
        try query(
            index,
            """
            SELECT t.path, c.key, c.winner, c.total FROM call c JOIN transcript t ON t.id = c.transcriptId ORDER BY 1, 2;
            SELECT * FROM sessionUsage ORDER BY 1, 2, 3;
            SELECT key, lastModel, lastCallAt, lastPromptTokens, toolCalls, startedAt, lastActivityAt FROM session ORDER BY key;
            SELECT count(*) FROM staleSession;
            """, in: folder)
    }

    static func query(_ index: IndexDatabase, _ sql: String, in folder: TemporaryDirectory) throws -> String {
        let result = try ProcessRunner.run("sqlite3", [index.path, sql], in: folder.path, environment: [:])
        guard result.status == 0 else { throw TestFailure("sqlite3 failed: \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func update(_ path: String, session: String, calls: [TranscriptUpdate.Call]) -> TranscriptUpdate {
        TranscriptUpdate(
            file: .init(
                path: path, agent: "claude-code", device: 1, inode: 1, size: 100, modified: 1, parsedOffset: 100,
                readerState: "{}", firstAt: 1_000, error: nil),
            expected: .absent, startsOver: false, lines: calls.count, malformedLines: 0,
            sessions: [
                .init(
                    key: "claude-code:\(session)", agent: "claude-code", id: session, cwd: "/w", branch: "main", agentVersion: nil,
                    title: nil, parentID: nil, firstAt: 1_000, lastAt: 2_000)
            ],
            calls: calls, events: [], toolUses: [.init(sessionKey: "claude-code:\(session)", tool: "Edit", path: "/w/x"): 1])
    }

    static func call(_ key: String, session: String, output: Int, sidechain: Bool = false) -> TranscriptUpdate.Call {
        let position = Int64(output)
        return TranscriptUpdate.Call(
            key: key, sessionKey: "claude-code:\(session)", messageID: String(key.prefix { $0 != "|" }), model: "claude-sonnet-4-5",
            timestamp: 1_000 + Double(output), input: 1, output: output, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 100,
            isSidechain: sidechain, contextWindow: nil, contextTokens: nil, position: position)
    }
}
