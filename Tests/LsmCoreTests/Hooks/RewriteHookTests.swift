import Foundation
import LsmCore
import LsmTestSupport
import Testing

/// History rewritten by git (amend, rebase, cherry-pick, pull --rebase) keeps its notes, and the
/// rewritten commits are not counted as new work.
@Suite struct RewriteHookTests {
    /// A repository with the hooks, a first commit without a note, and session `s1` at work.
    static func hookedWithSession() throws -> HookedRepository {
        let hooked = try HookedRepository()
        try hooked.commit("Initial", files: ["README.md": "hello\n"], at: .minutesAgo(50))
        try hooked.install()
        return hooked
    }

    @Test func amendCarriesTheNoteWithoutCountingNewWork() throws {
        let hooked = try Self.hookedWithSession()
        try hooked.claude("s1", [.init(at: .minutesAgo(10), output: 7, edits: ["a.txt"])])
        let original = try hooked.commit("Add a", files: ["a.txt": "a\n"], at: .minutesAgo(9))
        let before = try hooked.requireNote(original)
        // The session works on after the commit; the amend only rewords it.
        try hooked.claude("s1", [.init(at: .minutesAgo(2), output: 500)])

        try hooked.git(["commit", "-q", "--amend", "-m", "Add a (reworded)"])

        let amended = try hooked.repo.revParse("HEAD")
        #expect(amended != original)
        let note = try hooked.requireNote(amended)
        #expect(note.rewrittenFrom == [original])
        #expect(note.sessions == before.sessions)
        #expect(note.sessions.first?.usage?.output == 7)
        #expect(try hooked.hooksLog() == "")
    }

    @Test func interactiveRebaseWithSquashAndFixupKeepsEverySession() throws {
        let hooked = try Self.hookedWithSession()
        try hooked.claude("s1", [.init(at: .minutesAgo(20), output: 1, edits: ["a.txt"])])
        let a = try hooked.commit("Add a", files: ["a.txt": "a\n"], at: .minutesAgo(19))
        try hooked.claude("s2", [.init(at: .minutesAgo(15), output: 2, edits: ["b.txt"])])
        let b = try hooked.commit("Add b", files: ["b.txt": "b\n"], at: .minutesAgo(14))
        try hooked.claude("s3", [.init(at: .minutesAgo(10), output: 4, edits: ["c.txt"])])
        let c = try hooked.commit("Add c", files: ["c.txt": "c\n"], at: .minutesAgo(9))
        let d = try hooked.commit("Add d", files: ["d.txt": "d\n"], at: .minutesAgo(8))
        let notes = try [a, b, c, d].map { try hooked.requireNote($0) }

        // When b is squashed into a and d is a fixup of c.
        let editor = hooked.repo.sandbox.child("sequence-editor.sh")
        try Data("#!/bin/sh\nsed -i -e '2s/^pick/squash/' -e '4s/^pick/fixup/' \"$1\"\n".utf8).write(to: URL(fileURLWithPath: editor))
        chmod(editor, 0o755)
        try hooked.git(["rebase", "-q", "-i", "HEAD~4"], environment: ["GIT_SEQUENCE_EDITOR": editor, "GIT_EDITOR": "true"])

        // Then two commits remain, each with the union of its sources' sessions, naming them.
        let log = try hooked.git(["log", "--format=%H %s", "HEAD~2..HEAD"]).split(separator: "\n")
        #expect(log.count == 2)
        let ab = try hooked.repo.revParse("HEAD~1")
        let cd = try hooked.repo.revParse("HEAD")
        let abNote = try hooked.requireNote(ab)
        let cdNote = try hooked.requireNote(cd)
        #expect(abNote.rewrittenFrom == [a, b].sorted())
        #expect(cdNote.rewrittenFrom == [c, d].sorted())
        #expect(Set(abNote.sessions.map(\.reference)) == Set((notes[0].sessions + notes[1].sessions).map(\.reference)))
        #expect(Set(cdNote.sessions.map(\.reference)) == Set((notes[2].sessions + notes[3].sessions).map(\.reference)))
        // The work of each source commit is still counted once.
        #expect(Self.totalOutput(abNote) == Self.totalOutput(notes[0]) + Self.totalOutput(notes[1]))
        #expect(Self.totalOutput(cdNote) == Self.totalOutput(notes[2]) + Self.totalOutput(notes[3]))
        #expect(Set(abNote.sessions.flatMap(\.filesTouched)) == ["a.txt", "b.txt"])
        #expect(try hooked.hooksLog() == "")
    }

    @Test func cherryPickCarriesTheSourceNote() throws {
        let hooked = try Self.hookedWithSession()
        try hooked.git(["checkout", "-q", "-b", "feature"])
        try hooked.claude("s1", [.init(at: .minutesAgo(10), output: 7, edits: ["a.txt"])], branch: "feature")
        let source = try hooked.commit("Add a", files: ["a.txt": "a\n"], at: .minutesAgo(9))
        let sourceNote = try hooked.requireNote(source)
        try hooked.git(["checkout", "-q", "main"])
        // A session at work on main now must not be credited with the copy.
        try hooked.claude("main-session", [.init(at: .minutesAgo(1), output: 300, edits: ["a.txt"])])

        try hooked.git(["cherry-pick", source])

        let copy = try hooked.repo.revParse("HEAD")
        #expect(copy != source)
        let note = try hooked.requireNote(copy)
        #expect(note.rewrittenFrom == [source])
        #expect(note.sessions == sourceNote.sessions)
    }

    @Test func pullWithRebaseCarriesTheNotesOfReplayedCommits() throws {
        let clones = try SyncedClones()
        let hooked = try HookedRepository(clones.alice)
        try hooked.install()
        try hooked.claude("s1", [.init(at: .minutesAgo(10), output: 7, edits: ["a.txt"])])
        let local = try hooked.commit("Alice adds a", files: ["a.txt": "a\n"], at: .minutesAgo(9))
        let localNote = try hooked.requireNote(local)
        try clones.bob.commit("Bob adds b", files: ["b.txt": "b\n"])
        try clones.bob.git(["push", "-q", "origin", "HEAD:main"])

        try hooked.git(["pull", "-q", "--rebase", "origin", "main"])

        let replayed = try hooked.repo.revParse("HEAD")
        #expect(replayed != local)
        #expect(try hooked.repo.revParse("HEAD~1") == clones.bob.revParse("HEAD"))
        let note = try hooked.requireNote(replayed)
        #expect(note.rewrittenFrom == [local])
        #expect(note.sessions == localNote.sessions)
        #expect(try hooked.hooksLog() == "")
    }

    static func totalOutput(_ note: CommitNote) -> Int {
        note.sessions.reduce(0) { $0 + ($1.usage?.output ?? 0) }
    }
}
