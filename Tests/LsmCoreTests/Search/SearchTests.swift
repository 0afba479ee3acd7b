import Foundation
import LsmCore
import LsmStore
import LsmTestSupport
import Testing

/// A tree whose sessions are indexed for search, and searched at a fixed time.
extension TranscriptTree {
    static let searchNow = Date(timeIntervalSince1970: 1_767_261_600)  // 2026-01-01T10:00:00Z

    func openIndex() throws -> IndexDatabase {
        try Workspace(directory: folder.path, environment: environment).openIndex()
    }

    @discardableResult
    func indexForSearch(rebuild: Bool = false) throws -> SearchIndexer.Report {
        try index()
        return try SearchIndexer(index: openIndex()).refresh(rebuild: rebuild)
    }

    func search(_ query: String, configure: (inout SessionSearch.Options) -> Void = { _ in }) throws -> [SessionSearch.Hit] {
        var options = SessionSearch.Options(query: query, repoCommonDir: nil)
        configure(&options)
        return try SessionSearch(index: openIndex(), now: Self.searchNow).run(options, memoryScopes: []).hits
    }
}

func toolLine(
    session: String = "s1", tool: String, input: String, time: String = "2026-01-01T10:00:00.000Z", message: String = UUID().uuidString
) -> String {
    assistantLine(
        session: session, message: message, request: "r-" + message, output: 1, time: time,
        content: #"{"type":"tool_use","id":"toolu_1","name":"\#(tool)","input":\#(input)}"#)
}

func textLine(session: String = "s1", _ text: String, time: String = "2026-01-01T10:00:00.000Z") -> String {
    let message = UUID().uuidString
    return assistantLine(
        session: session, message: message, request: "r-" + message, output: 1, time: time,
        content: #"{"type":"text","text":"\#(text)"}"#)
}

func toolErrorLine(session: String = "s1", _ text: String) -> String {
    """
    {"parentUuid":null,"isSidechain":false,"cwd":"/work/app","sessionId":"\(session)","type":"user",\
    "message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","is_error":true,"content":"\(text)"}]},\
    "uuid":"\(UUID().uuidString)","timestamp":"2026-01-01T10:00:00.000Z"}
    """
}

@Suite struct SearchRankingTests {
    /// Three sessions; only one discussed the JWT expiry, one mentions JWT in passing.
    func corpus() throws -> TranscriptTree {
        let tree = try TranscriptTree()
        try tree.claude(
            "p/auth.jsonl",
            [
                userLine(session: "auth", text: "the login breaks after an hour, check the jwt expiry handling"),
                textLine(session: "auth", "The jwt expiry is read as milliseconds in tokenExpiryCheck; it must be seconds."),
                toolLine(
                    session: "auth", tool: "Edit", input: #"{"file_path":"/work/app/src/auth/jwt.ts","old_string":"a","new_string":"b"}"#),
                toolLine(session: "auth", tool: "Bash", input: #"{"command":"npm test -- auth","description":"run the auth tests"}"#),
                toolErrorLine(session: "auth", "FAIL src/auth/jwt.test.ts: expected 3600 received 3600000"),
            ])
        try tree.claude(
            "p/ui.jsonl",
            [
                userLine(session: "ui", text: "make the button blue", time: "2025-12-31T10:00:00.000Z"),
                textLine(session: "ui", "Done, the button is blue now; the jwt cookie is untouched.", time: "2025-12-31T10:01:00.000Z"),
            ])
        try tree.claude(
            "p/docs.jsonl",
            [userLine(session: "docs", text: "document the release process", time: "2025-12-30T10:00:00.000Z")])
        try tree.indexForSearch()
        return tree
    }

    @Test func bestAnswerComesFirst() throws {
        let tree = try corpus()
        let hits = try tree.search("jwt expiry")
        #expect(hits.count == 2)
        #expect(hits.allSatisfy { $0.session == "auth" })
        #expect(hits.first?.snippet.text.contains("jwt expiry") == true)
        // Prompt, answer, the edit of jwt.ts, the failing jwt.test.ts, and the other session's answer.
        #expect(try tree.search("jwt").count == 5)
        #expect(try tree.search("\"button is blue\"").map(\.session) == ["ui"])
        #expect(try tree.search("\"blue button\"").isEmpty)
    }

    @Test func snippetMarksTheMatches() throws {
        let tree = try corpus()
        let hit = try #require(try tree.search("milliseconds").first)
        #expect(hit.snippet.marked { "[\($0)]" }.contains("[milliseconds]"))
        #expect(hit.ref.hasPrefix("auth:"))
        #expect(hit.role == "assistant")
    }

    @Test func prefixSubstringAndAlternatives() throws {
        let tree = try corpus()
        #expect(try tree.search("releas*").map(\.session) == ["docs"])
        // An identifier's inside, and a piece of a path, match as substrings.
        #expect(try tree.search("tokenExpiryCheck;").map(\.session) == ["auth"])
        #expect(try tree.search("xpiryCheck(").isEmpty)
        // A word found nowhere whole is looked for inside words.
        #expect(try tree.search("ExpiryCheck").map(\.session) == ["auth"])
        #expect(try tree.search("auth/jwt").count == 2)
        #expect(Set(try tree.search("button OR release").map(\.session)) == ["ui", "docs"])
        #expect(try tree.search("jwt -cookie").allSatisfy { $0.session == "auth" })
    }

    @Test func substringsAreLookedForInsideIdentifiersNotProse() throws {
        let tree = try corpus()
        // Digits and capitals inside make a word an identifier; a plain word is found whole or by prefix.
        #expect(try tree.search("600000").map(\.kind) == ["tool-error"])
        #expect(try tree.search("xpiryChe").map(\.session) == ["auth"])
        #expect(try tree.search("illisecond").isEmpty)
        #expect(try tree.search("millisec*").map(\.session) == ["auth"])
    }

    @Test func aCommonWordRanksItsNewestMatches() throws {
        let tree = try TranscriptTree()
        let days = (1...9).map { "2025-12-0\($0)T10:00:00.000Z" }
        try tree.claude("p/s.jsonl", days.map { userLine(session: "s", text: "deploy the service", time: $0) })
        try tree.indexForSearch()
        var criteria = SearchCriteria(words: "\"deploy\"", trigrams: nil, now: TranscriptTree.searchNow.timeIntervalSince1970, limit: 20)
        criteria.candidates = 3
        let hits = try tree.openIndex().search(criteria)
        // The three newest (2025-12-07 to 09), not the most relevant of all nine.
        #expect(hits.count == 3)
        #expect(hits.allSatisfy { ($0.document.timestamp ?? 0) >= 1_765_101_600 })
        criteria.candidates = 100
        #expect(try tree.openIndex().search(criteria).count == 9)
    }

    @Test func recencyBreaksEqualRelevance() throws {
        let tree = try TranscriptTree()
        try tree.claude("p/old.jsonl", [userLine(session: "old", text: "rotate the signing key", time: "2025-06-01T10:00:00.000Z")])
        try tree.claude("p/new.jsonl", [userLine(session: "new", text: "rotate the signing key", time: "2025-12-31T10:00:00.000Z")])
        try tree.indexForSearch()
        #expect(try tree.search("signing key").map(\.session) == ["new", "old"])
    }
}

@Suite struct SearchFilterTests {
    @Test func filtersNarrowByRoleToolPathAgentAndTime() throws {
        let tree = try SearchRankingTests().corpus()
        #expect(try tree.search("jwt role:user").map(\.kind) == ["prompt"])
        #expect(try tree.search("auth tool:bash").map(\.tool) == ["Bash"])
        #expect(try tree.search("path:src/auth/jwt.ts").map(\.tool) == ["Edit"])
        #expect(try tree.search("3600000 role:tool").map(\.kind) == ["tool-error"])
        #expect(try tree.search("button agent:codex").isEmpty)
        #expect(try tree.search("button session:ui").count == 2)
        let since = try tree.search("jwt") { $0.since = Date(timeIntervalSince1970: 1_767_225_600) }  // 2026-01-01
        #expect(since.allSatisfy { $0.session == "auth" })
        #expect(try tree.search("jwt") { $0.role = "assistant" }.count == 3)
    }

    @Test func pathValuesMatchWholeInAnyCaseWithoutWildcards() throws {
        // Found by their rarest word (auth), then checked whole: a near miss is no match.
        let tree = try SearchRankingTests().corpus()
        #expect(try tree.search("path:SRC/Auth/JWT.ts").map(\.tool) == ["Edit"])
        #expect(try tree.search("path:src/auth/jwt.js").isEmpty)
        #expect(try tree.search("path:src_auth").isEmpty)
        #expect(try tree.search("path:app%auth").isEmpty)
        #expect(try tree.search("path:auth").map(\.tool) == ["Edit"])
    }

    @Test func badQueriesAreOneLineUserErrors() throws {
        for query in ["", "   ", "\"foo", "AND", "OR", "foo OR", "NOT", "-foo", "role:boss foo", "path:ab", "agent:vim x", "\"\"", "*"] {
            let error = Self.parseError(query)
            #expect(error?.kind == .user, "\(query)")
            #expect(error?.message.contains("\n") == false)
            #expect(error?.message.lowercased().contains("fts5") == false)
        }
        // Operators between words are fine, and quoted they are words.
        #expect(try SearchQuery.parse("a AND b").groups.count == 2)
        #expect(try SearchQuery.parse("\"AND\"").groups == [[.phrase("AND")]])
    }

    static func parseError(_ query: String) -> LsmError? {
        do {
            _ = try SearchQuery.parse(query)
            return nil
        } catch {
            return error
        }
    }

    @Test func queryCharactersNeverReachFTSSyntax() throws {
        let tree = try SearchRankingTests().corpus()
        for query in ["NEAR(jwt expiry)", "jwt:expiry", "{text}: jwt", "jwt^", "(jwt", "\"jwt\"\"x\"", "col : jwt", "jwt + expiry"] {
            _ = try tree.search(query)
        }
    }
}

@Suite struct SearchIndexingTests {
    @Test func grownFileAddsOnlyItsNewMessages() throws {
        let tree = try TranscriptTree()
        let path = try tree.claude("p/s1.jsonl", [userLine(text: "first question about caching")])
        #expect(try tree.indexForSearch().messages == 1)
        try tree.append(path, textLine("caching answer") + "\n" + userLine(text: "second question") + "\n")
        let second = try tree.indexForSearch()
        #expect(second.changedFiles == 1)
        #expect(second.messages == 2)
        #expect(second.indexedMessages == 3)
        #expect(try tree.indexForSearch().changedFiles == 0)
        // A rebuild reads everything again and finds the same.
        let rebuilt = try tree.indexForSearch(rebuild: true)
        #expect(rebuilt.messages == 3)
        #expect(try tree.search("caching").count == 2)
    }

    @Test func rewrittenFileReplacesItsMessages() throws {
        let tree = try TranscriptTree()
        let path = try tree.claude("p/s1.jsonl", [userLine(text: "alpha"), userLine(text: "beta")])
        try tree.indexForSearch()
        try tree.write(path, userLine(text: "gamma") + "\n")
        try tree.indexForSearch()
        #expect(try tree.search("alpha").isEmpty)
        #expect(try tree.search("gamma").count == 1)
    }

    @Test func halfWrittenLineWaits() throws {
        let tree = try TranscriptTree()
        let line = userLine(text: "unfinished thought")
        let cut = line.index(line.startIndex, offsetBy: line.count / 2)
        let path = try tree.claude("p/s1.jsonl", [userLine(text: "done"), String(line[..<cut])], complete: false)
        try tree.indexForSearch()
        try tree.append(path, String(line[cut...]) + "\n")
        try tree.indexForSearch()
        #expect(try tree.search("unfinished").count == 1)
    }

    @Test func sessionIndexRebuildClearsTheFullTextIndex() throws {
        let tree = try TranscriptTree()
        try tree.claude("p/s1.jsonl", [userLine(text: "kept")])
        try tree.indexForSearch()
        try tree.openIndex().removeAllTranscripts()
        #expect(try tree.openIndex().searchDocumentCount() == 0)
        try tree.indexForSearch()
        #expect(try tree.search("kept").count == 1)
    }

    @Test func everyFixtureAgentIsSearchable() throws {
        let tree = try TranscriptTree()
        try tree.fixture("claude/gitai_claude-code-with-thinking.jsonl", asClaude: "p/dac34307-159f-4fcd-9c21-35210246ad38.jsonl")
        try tree.fixture(
            "codex/gitai_codex-session-simple.jsonl",
            asCodex: "sessions/2026/02/11/rollout-2026-02-11T05-53-00-019c4b43-1451-7af3-be4c-5576369bf1ba.jsonl")
        try tree.gemini(
            project: "abc", "session-2025-12-06T18-25-c3da0000.jsonl",
            try tree.fixtureText("gemini/gitai_gemini-session-simple.jsonl").split(separator: "\n").map(String.init))
        try tree.copilotCLI(
            "cli-1", try tree.fixtureText("copilot/gitai_copilot_cli_session_events.jsonl").split(separator: "\n").map(String.init))
        let report = try tree.indexForSearch()
        #expect(report.messages > 0)
        #expect(try tree.search("hello").contains { $0.agent == "claude-code" })
        #expect(try tree.search("path:src/main.rs").first?.agent == "codex")
        let index = try tree.openIndex()
        let perAgent = try index.search(SearchCriteria(words: nil, trigrams: nil, now: 0, limit: 1000))
        #expect(Set(perAgent.map(\.agent)).isSuperset(of: ["claude-code", "codex", "gemini", "copilot"]))
    }
}
