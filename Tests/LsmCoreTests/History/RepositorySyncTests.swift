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

    func board(_ clone: TestRepository, as name: String) throws -> (CommentBoard, Repository) {
        var environment = clone.environment
        environment["GIT_AUTHOR_NAME"] = name
        environment["GIT_AUTHOR_EMAIL"] = name.lowercased() + "@example.com"
        // Each clone's notes authors differ too, so their merge commits differ.
        return (
            CommentBoard(workspace: Workspace(directory: clone.path, environment: environment)),
            try Repository.discover(containing: clone.path)
        )
    }

    func threads(_ clone: TestRepository) throws -> [CommentBoard.ThreadView] {
        let (board, opened) = try board(clone, as: "Reader")
        return try board.threads(path: nil, all: true, revision: nil, in: opened)
    }

    @Test func commentThreadsConvergeOnBothClones() throws {
        let clones = try SyncedClones()
        let (alice, aliceRepo) = try board(clones.alice, as: "Alice")
        let (bob, bobRepo) = try board(clones.bob, as: "Bob")
        let thread = try alice.comment(on: "README.md:1", body: "Say more than hello", revision: nil, in: aliceRepo)
        #expect(try sync(clones.alice).comments == .init(new: 0, updated: 0, merged: 0))
        #expect(try sync(clones.bob).comments == .init(new: 1, updated: 0, merged: 0))

        // Concurrently: Alice replies and resolves, Bob replies and reacts.
        _ = try alice.reply(to: thread.id, body: "from Alice", in: aliceRepo)
        _ = try alice.setResolved(true, threadPrefix: thread.id, in: aliceRepo)
        _ = try bob.reply(to: thread.id, body: "from Bob", in: bobRepo)
        _ = try bob.react("👍", to: thread.id, remove: false, in: bobRepo)
        let bobsOwn = try bob.comment(on: "README.md:1", body: "Bob's thread", revision: nil, in: bobRepo)

        #expect(try sync(clones.alice).pushed)
        let bobSync = try sync(clones.bob)
        #expect(bobSync.comments == .init(new: 0, updated: 0, merged: 1))
        #expect(bobSync.pushed)
        let aliceSync = try sync(clones.alice)
        #expect(aliceSync.comments == .init(new: 1, updated: 1, merged: 0))
        #expect(!aliceSync.pushed)

        let onAlice = try threads(clones.alice)
        let onBob = try threads(clones.bob)
        #expect(onAlice == onBob)
        let shared = try #require(onAlice.first { $0.id == thread.id })
        #expect(shared.resolved)
        #expect(Set(shared.comments.map(\.body)) == ["Say more than hello", "from Alice", "from Bob"])
        #expect(shared.comments[0].reactions == ["👍": ["bob@example.com"]])
        #expect(onAlice.contains { $0.id == bobsOwn.id })

        // A second round changes nothing.
        #expect(try sync(clones.alice).comments == .init(new: 0, updated: 0, merged: 0))
        #expect(try !sync(clones.bob).pushed)
        #expect(try threads(clones.bob) == onBob)
    }

    @Test func threadsBroughtByPlainFetchShowBeforeTheyAreMerged() throws {
        let clones = try SyncedClones()
        let (alice, aliceRepo) = try board(clones.alice, as: "Alice")
        let thread = try alice.comment(on: "README.md:1", body: "hello?", revision: nil, in: aliceRepo)
        _ = try sync(clones.alice)
        let bobWorkspace = Workspace(directory: clones.bob.path, environment: clones.bob.environment)
        let added = try RepositorySync(workspace: bobWorkspace).configure(remote: nil, in: Repository.discover(containing: clones.bob.path))
        #expect(added.count == 2)
        #expect(
            try RepositorySync(workspace: bobWorkspace).configure(remote: nil, in: Repository.discover(containing: clones.bob.path)).isEmpty
        )

        try clones.bob.git(["fetch", "-q", "origin"])

        #expect(try threads(clones.bob).map(\.id) == [thread.id])
        let (bob, bobRepo) = try board(clones.bob, as: "Bob")
        _ = try bob.reply(to: String(thread.id.prefix(8)), body: "hi", in: bobRepo)
        #expect(try clones.bob.git(["for-each-ref", "--format=%(refname)", "refs/lsm/comments/"]).contains(thread.id))
        #expect(try threads(clones.bob).first?.comments.count == 2)
    }
}
