import Foundation
import LsmCore
import LsmGit
import LsmTestSupport
import Testing

/// `CommitRecorder.carryNotes`, what `post-rewrite` runs, on notes written at known times.
@Suite struct CarryNotesTests {
    static func session(_ id: String, output: Int, cost: Double, files: [String], at minute: Double) -> CommitNote.Session {
        CommitNote.Session(
            agent: "claude-code", id: id, model: "claude-sonnet-4-5", usage: .init(input: 1, output: output, cacheWrite: 0, cacheRead: 0),
            costUSD: cost, health: nil, filesTouched: files, branch: "main",
            lastActivityAt: HermeticGit.baseDate.addingTimeInterval(minute * 60))
    }

    @Test func squashCountsTheWorkOfEverySquashedCommitOnce() throws {
        let repo = try TestRepository()
        try repo.commit("Initial")
        let a = try repo.commit("Add a", files: ["a.txt": "a\n"])
        let b = try repo.commit("Add b", files: ["b.txt": "b\n"])
        try repo.git(["reset", "-q", "--soft", "HEAD~2"])
        let squashed = try repo.commit("Add a and b")
        // Given s1 did a's work and, still at work, nothing of b's; b's note was recorded later.
        let aNote = CommitNote(
            sessions: [Self.session("s1", output: 7, cost: 0.5, files: ["a.txt"], at: 1)], recordedAt: HermeticGit.baseDate)
        let bNote = CommitNote(
            sessions: [
                Self.session("s1", output: 0, cost: 0, files: [], at: 1),
                Self.session("s2", output: 3, cost: 0.25, files: ["b.txt"], at: 2),
            ], recordedAt: HermeticGit.baseDate.addingTimeInterval(60))
        try repo.git(["notes", "--ref=lsm", "add", "-m", aNote.encoded(), a])
        try repo.git(["notes", "--ref=lsm", "add", "-m", bNote.encoded(), b])
        // and git copied both notes onto the squashed commit, one after the other (notes.rewriteMode).
        try repo.git(["notes", "--ref=lsm", "add", "-m", aNote.encoded(), "-m", bNote.encoded(), squashed])

        let changed = try CommitRecorder(workspace: Workspace(directory: repo.path, environment: repo.environment)).carryNotes(
            [(ObjectID.parse(a), ObjectID.parse(squashed)), (ObjectID.parse(b), ObjectID.parse(squashed))],
            in: Repository.open(at: repo.path))

        #expect(changed == 1)
        let note = try #require(CommitNote.parse(try repo.git(["notes", "--ref=lsm", "show", squashed])))
        #expect(note.rewrittenFrom == [a, b].sorted())
        #expect(note.sessions.map(\.id) == ["s1", "s2"])
        #expect(note.sessions[0].usage?.output == 7)
        #expect(note.sessions[0].costUSD == 0.5)
        #expect(note.sessions[0].filesTouched == ["a.txt"])
        #expect(note.sessions[1].usage?.output == 3)
        #expect(note.sessions[1].filesTouched == ["b.txt"])
    }

    @Test func carryingTwiceChangesNothing() throws {
        let repo = try TestRepository()
        let old = try repo.commit("Add a", files: ["a.txt": "a\n"])
        try repo.git(["commit", "-q", "--amend", "-m", "Add a (reworded)"])
        let new = try repo.revParse("HEAD")
        let note = CommitNote(
            sessions: [Self.session("s1", output: 7, cost: 0.5, files: ["a.txt"], at: 1)], recordedAt: HermeticGit.baseDate)
        try repo.git(["notes", "--ref=lsm", "add", "-m", note.encoded(), old])
        let recorder = CommitRecorder(workspace: Workspace(directory: repo.path, environment: repo.environment))
        let rewrites = [(try ObjectID.parse(old), try ObjectID.parse(new))]

        try recorder.carryNotes(rewrites, in: Repository.open(at: repo.path))
        let first = try repo.git(["notes", "--ref=lsm", "show", new])
        try recorder.carryNotes(rewrites, in: Repository.open(at: repo.path))

        #expect(try repo.git(["notes", "--ref=lsm", "show", new]) == first)
        #expect(CommitNote.parse(first)?.sessions.first?.usage?.output == 7)
        #expect(CommitNote.parse(first)?.rewrittenFrom == [old])
    }
}
