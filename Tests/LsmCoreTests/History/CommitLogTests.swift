import Foundation
import LsmCore
import LsmGit
import LsmTestSupport
import Testing

@Suite struct CommitLogTests {
    let author = Signature(name: "Lsm", email: "lsm@example.com", date: HermeticGit.baseDate)

    func note(_ sessions: [CommitNote.Session], rewrittenFrom: [String]? = nil) -> String {
        CommitNote(sessions: sessions, recordedAt: HermeticGit.baseDate, rewrittenFrom: rewrittenFrom).encoded()
    }

    @Test func showsSessionsAndCountsEachCommitsNewWorkOnce() throws {
        let repo = try TestRepository()
        let base = try ObjectID.parse(try repo.commit("base", files: ["a": "1\n"]))
        try repo.git(["checkout", "-q", "-b", "topic"])
        let first = try ObjectID.parse(try repo.commit("agent work", files: ["a": "2\n"]))
        let second = try ObjectID.parse(try repo.commit("more work\n\nLSM-Session: codex/c-1", files: ["a": "3\n"]))
        let carried = try ObjectID.parse(try repo.commit("rebased work", files: ["a": "4\n"]))
        let opened = try Repository.discover(containing: repo.path)
        let s1 = CommitNoteTests.session("claude-code", "s1", total: 100)
        try opened.updateNote(for: first, notesRef: CommitNote.notesRef, author: author) { _ in note([s1]) }
        try opened.updateNote(for: second, notesRef: CommitNote.notesRef, author: author) { _ in
            note([CommitNoteTests.session("claude-code", "s1", total: 50)])
        }
        try opened.updateNote(for: carried, notesRef: CommitNote.notesRef, author: author) { _ in note([s1], rewrittenFrom: [first.hex]) }
        let workspace = Workspace(directory: repo.path, environment: repo.environment)

        let report = try CommitLog(workspace: workspace).log(range: "main..topic", limit: nil, in: opened)

        #expect(report.commits.map(\.subject) == ["rebased work", "more work", "agent work"])
        #expect(report.commits[0].sessions.map(\.source) == [.rewritten])
        #expect(report.commits[1].sessions.map { "\($0.source):\($0.agent)/\($0.id)" } == ["note:claude-code/s1", "trailer:codex/c-1"])
        #expect(report.totals.commits == 3)
        #expect(report.totals.commitsWithSessions == 3)
        #expect(report.totals.sessions == 2)
        #expect(report.totals.usage.total == 150, "the carried note was counted at its original, which is in the range")
        let carriedOnly = try CommitLog(workspace: workspace).log(range: "\(second.hex)..topic", limit: nil, in: opened)
        #expect(carriedOnly.totals.usage.total == 100, "without its original in the range, a carried note counts")
        #expect(report.totals.costUSD == 1.0)
        #expect(!report.commits.contains { $0.commit == base.hex })

        let limited = try CommitLog(workspace: workspace).log(range: nil, limit: 1, in: opened)
        #expect(limited.commits.map(\.subject) == ["rebased work"])
    }

    @Test func badInputIsAUserError() throws {
        let repo = try TestRepository()
        let opened = try Repository.discover(containing: repo.path)
        let workspace = Workspace(directory: repo.path, environment: repo.environment)

        #expect(throws: LsmError(.user, "branch 'main' has no commits yet", hint: "commit first, then run git lsm log")) {
            try CommitLog(workspace: workspace).log(range: nil, limit: nil, in: opened)
        }
        try repo.commit("base", files: ["a": "1\n"])
        #expect(throws: LsmError(.user, "unknown revision or range 'nope..main'", hint: "use git log's syntax, e.g. main..HEAD")) {
            try CommitLog(workspace: workspace).log(range: "nope..main", limit: nil, in: opened)
        }
        #expect(throws: LsmError(.user, "-n must be 0 or more, not -1")) {
            try CommitLog(workspace: workspace).log(range: nil, limit: -1, in: opened)
        }
    }

    @Test func worksOnADetachedHead() throws {
        let repo = try TestRepository()
        try repo.commit("one", files: ["a": "1\n"])
        try repo.commit("two", files: ["a": "2\n"])
        try repo.git(["checkout", "-q", "--detach", "HEAD~1"])
        let opened = try Repository.discover(containing: repo.path)

        let report = try CommitLog(workspace: Workspace(directory: repo.path, environment: repo.environment)).log(
            range: nil, limit: nil, in: opened)

        #expect(report.commits.map(\.subject) == ["one"])
    }
}
