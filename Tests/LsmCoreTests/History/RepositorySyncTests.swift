import Foundation
import LsmCore
import LsmGit
import LsmTestSupport
import Testing

@Suite struct RepositorySyncTests {
    func summary(_ report: RepositorySync.Report) -> String {
        "\(report.remote) \(report.notes.received) \(report.notes.mergedNotes) \(report.pushed)"
    }

    let author = Signature(name: "Lsm", email: "lsm@example.com", date: HermeticGit.baseDate)

    func addNote(_ session: String, on revision: String, in clone: TestRepository) throws {
        let opened = try Repository.discover(containing: clone.path)
        let commit = try ObjectID.parse(try clone.revParse(revision))
        let note = CommitNote(sessions: [CommitNoteTests.session("claude-code", session)], recordedAt: HermeticGit.baseDate)
        try opened.updateNote(for: commit, notesRef: CommitNote.notesRef, author: author) { current in
            CommitNote.mergeTexts(current, note.encoded())
        }
    }

    func sync(_ clone: TestRepository, remote: String? = nil) throws -> RepositorySync.Report {
        try RepositorySync(workspace: Workspace(directory: clone.path, environment: clone.environment)).sync(
            remote: remote, in: Repository.discover(containing: clone.path))
    }

    func sessions(on revision: String, in clone: TestRepository) throws -> [String] {
        let opened = try Repository.discover(containing: clone.path)
        let text = try opened.note(for: try ObjectID.parse(try clone.revParse(revision)), notesRef: CommitNote.notesRef)
        return text.flatMap(CommitNote.parse)?.sessions.map(\.id) ?? []
    }

    @Test func notesWrittenOnTwoClonesMeetInBoth() throws {
        let clones = try SyncedClones()
        try addNote("from-alice", on: "HEAD", in: clones.alice)
        try addNote("from-bob", on: "HEAD", in: clones.bob)

        let first = try sync(clones.alice)
        #expect(summary(first) == "origin up-to-date 0 true")
        let second = try sync(clones.bob)
        #expect(summary(second) == "origin merged 1 true")
        let third = try sync(clones.alice)
        #expect(summary(third) == "origin fast-forward 0 false")

        #expect(try sessions(on: "HEAD", in: clones.alice) == ["from-alice", "from-bob"])
        #expect(try sessions(on: "HEAD", in: clones.bob) == ["from-alice", "from-bob"])
        #expect(try clones.remote.git(["notes", "--ref=lsm", "list"]).split(separator: "\n").count == 1)
        #expect(summary(try sync(clones.bob)) == "origin up-to-date 0 false")
    }

    @Test func aCloneOfARemoteWithNotesGetsThem() throws {
        let clones = try SyncedClones()
        try addNote("s1", on: "HEAD", in: clones.alice)
        _ = try sync(clones.alice)

        #expect(try sync(clones.bob).notes.received == "fast-forward")
        #expect(try sessions(on: "HEAD", in: clones.bob) == ["s1"])
    }

    @Test func unknownRemoteIsAUserErrorAndChangesNothing() throws {
        let clones = try SyncedClones()
        try addNote("s1", on: "HEAD", in: clones.alice)
        let before = try clones.alice.git(["for-each-ref"])

        #expect(
            throws: LsmError(.user, "no remote named 'upstream'", hint: "git remote -v lists the remotes; pass one: git lsm sync <remote>")
        ) {
            try sync(clones.alice, remote: "upstream")
        }
        #expect(try clones.alice.git(["for-each-ref"]) == before)
        #expect(try clones.remote.git(["for-each-ref", "refs/notes"]).isEmpty)
    }
}
