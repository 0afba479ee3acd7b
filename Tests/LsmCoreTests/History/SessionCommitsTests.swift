import Foundation
import LsmCore
import LsmGit
import LsmStore
import LsmTestSupport
import Testing

@Suite struct SessionCommitsTests {
    @Test func aSessionsCommitsComeFromNotesAndInferredLinks() throws {
        let repo = try TestRepository()
        let first = try ObjectID.parse(try repo.commit("First", files: ["a": "1\n"]))
        let second = try ObjectID.parse(try repo.commit("Second", files: ["a": "2\n"]))
        let third = try ObjectID.parse(try repo.commit("Third", files: ["a": "3\n"]))
        let tree = try TranscriptTree()
        try tree.claude(
            "p/s1.jsonl",
            [assistantLine(session: "s1", message: "m1", request: "r1", output: 5, cwd: repo.path)])
        let workspace = Workspace(directory: tree.folder.path, environment: tree.environment)
        let (catalog, _) = try workspace.refreshedCatalog()
        let summary = try #require(try catalog.sessions(SessionFilter()).first)
        let opened = try Repository.discover(containing: repo.path)
        let author = Signature(name: "Lsm", email: "lsm@example.com", date: HermeticGit.baseDate)
        let session = CommitNote.Session(
            agent: "claude-code", id: "s1", model: nil, usage: nil, costUSD: nil, health: nil, filesTouched: [])
        let other = CommitNote.Session(agent: "codex", id: "x", model: nil, usage: nil, costUSD: nil, health: nil, filesTouched: [])
        try opened.updateNote(for: first, notesRef: CommitNote.notesRef, author: author) { _ in
            CommitNote(sessions: [session], recordedAt: HermeticGit.baseDate).encoded()
        }
        try opened.updateNote(for: second, notesRef: CommitNote.notesRef, author: author) { _ in
            CommitNote(sessions: [other], recordedAt: HermeticGit.baseDate).encoded()
        }
        try catalog.index.replaceCommitLinks(
            repoCommonDir: opened.commonDirectory, sessionKeys: ["claude-code:s1"],
            with: [
                CommitLinkRecord(
                    repoCommonDir: opened.commonDirectory, commit: third.hex, sessionKey: "claude-code:s1", confidence: 0.8, evidence: "{}",
                    linkedAt: 1)
            ])

        let commits = SessionCommits(index: catalog.index).commits(of: summary)

        #expect(commits.map(\.subject) == ["Third", "First"])
        #expect(commits.map(\.source) == ["inferred", "note"])
        #expect(commits.map(\.confidence) == [0.8, nil])
    }
}
