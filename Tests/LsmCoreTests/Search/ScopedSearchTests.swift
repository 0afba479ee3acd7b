import Foundation
import LsmCore
import LsmStore
import LsmTestSupport
import Testing

/// A search limited to some sessions asks the full-text index only for the id ranges of their
/// messages: it must find exactly what a search of everything finds in those sessions, ranked alike.
@Suite struct ScopedSearchTests {
    static let sessions = ["s0", "s1", "s2", "s3", "s4", "s5"]

    /// Six sessions of 60 messages a pass, each file grown in three passes, so every session's
    /// messages lie in several runs of ids between the others', and a common word matches enough of
    /// them that a scoped search asks FTS5 for its sessions' ranges.
    func corpus() throws -> (TranscriptTree, [String: String]) {
        let tree = try TranscriptTree()
        var paths: [String: String] = [:]
        for pass in 0..<3 {
            for (number, session) in Self.sessions.enumerated() {
                let lines = (0..<20).flatMap { index in
                    [
                        userLine(session: session, text: "pass \(pass) the jwt expiry check fails for tenant\(number) case \(index)"),
                        textLine(session: session, "The jwt cookie expiry is in tokenExpiryCheck\(number) of src/auth/jwt\(number).ts"),
                        toolLine(
                            session: session, tool: "Edit",
                            input: #"{"file_path":"/work/app/src/auth/jwt\#(number).ts","old_string":"a","new_string":"b"}"#),
                    ]
                }
                if let path = paths[session] {
                    try tree.append(path, lines.joined(separator: "\n") + "\n")
                } else {
                    paths[session] = try tree.claude("p/\(session).jsonl", lines)
                }
            }
            try tree.indexForSearch()
        }
        return (tree, paths)
    }

    static let queries = [
        "jwt", "jwt expiry", "\"jwt cookie\"", "expir*", "tokenExpiryCheck3", "auth/jwt", "path:src/auth", "cookie -tenant1",
    ]

    /// Every query, in each session and in two at once, finds what the unscoped search finds there.
    func expectScopedEqualsFiltered(_ tree: TranscriptTree) throws {
        for query in Self.queries {
            let everywhere = try tree.search(query) { $0.limit = 1000 }
            for scope in [["s3"], ["s1", "s4"]] {
                let scoped = try tree.search(query + " " + scope.map { "session:" + $0 }.joined(separator: " ")) { $0.limit = 1000 }
                let expected = everywhere.filter { scope.contains($0.session) }
                #expect(scoped.map(\.ref) == expected.map(\.ref), "\(query) in \(scope)")
                #expect(scoped.map(\.score) == expected.map(\.score), "\(query) in \(scope)")
            }
        }
    }

    @Test func findsWhatTheWholeIndexFindsInTheSessionsRankedAlike() throws {
        let (tree, _) = try corpus()
        try expectScopedEqualsFiltered(tree)
        #expect(try tree.search("jwt session:s3") { $0.limit = 1000 }.count == 120)
    }

    @Test func aRewrittenFileLeavesItsSessionFindable() throws {
        let (tree, paths) = try corpus()
        let path = try #require(paths["s3"])
        try tree.write(path, userLine(session: "s3", text: "the jwt expiry check moved to the gateway") + "\n")
        try tree.indexForSearch()
        try expectScopedEqualsFiltered(tree)
        #expect(try tree.search("gateway session:s3").count == 1)
        #expect(try tree.search("tenant3 session:s3").isEmpty)
    }

    @Test func aCommonWordRanksTheNewestMatchesOfTheSessions() throws {
        // s0's six messages lie in six ranges, far apart: s1 wrote 300 messages after each.
        let tree = try TranscriptTree()
        var paths: [String: String] = [:]
        for day in 1...6 {
            let time = "2025-12-0\(day)T10:00:00.000Z"
            let lines = [
                "s0": [userLine(session: "s0", text: "deploy the service", time: time)],
                "s1": (0..<300).map { userLine(session: "s1", text: "deploy the service \($0)", time: time) },
            ]
            for session in ["s0", "s1"] {
                let text = (lines[session] ?? []).joined(separator: "\n") + "\n"
                if let path = paths[session] {
                    try tree.append(path, text)
                } else {
                    paths[session] = try tree.claude("p/\(session).jsonl", lines[session] ?? [])
                }
            }
            try tree.indexForSearch()
        }
        var criteria = SearchCriteria(words: "\"deploy\"", trigrams: nil, now: TranscriptTree.searchNow.timeIntervalSince1970, limit: 20)
        criteria.sessionKeyPrefixes = ["s0"]
        criteria.candidates = 3
        let hits = try tree.openIndex().search(criteria)
        // The three newest of s0 (2025-12-04 to 06), not the most relevant of its six.
        #expect(hits.count == 3)
        #expect(hits.allSatisfy { $0.sessionID == "s0" && ($0.document.timestamp ?? 0) >= 1_764_842_400 })
        criteria.candidates = 100
        #expect(try tree.openIndex().search(criteria).count == 6)
    }

    @Test func aSessionWithNoMessagesFindsNothing() throws {
        let (tree, _) = try corpus()
        #expect(try tree.search("jwt session:nosuch").isEmpty)
    }
}
