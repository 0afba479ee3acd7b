import Foundation
import LsmGit
import LsmTestSupport
import Testing

@Suite struct NotesTests {
    let author = Signature(name: "Lsm", email: "lsm@example.com", date: HermeticGit.baseDate)

    @Test func writesNoteThatGitNotesShows() throws {
        let repo = try TestRepository()
        let tip = try ObjectID.parse(try repo.commit("Initial", files: ["a": "a\n"]))
        let opened = try Repository.discover(containing: repo.path)

        try opened.updateNote(for: tip, notesRef: "refs/notes/lsm", author: author) { _ in "{\"sessions\":[]}\n" }

        #expect(try opened.note(for: tip, notesRef: "refs/notes/lsm") == "{\"sessions\":[]}\n")
        #expect(try repo.git(["notes", "--ref=lsm", "show", tip.hex]) == "{\"sessions\":[]}\n")
        #expect(try opened.notedObjects(notesRef: "refs/notes/lsm").map(\.object) == [tip])
    }

    @Test func updateNotesPublishesSeveralNotesInOneCommit() throws {
        let repo = try TestRepository()
        let first = try ObjectID.parse(try repo.commit("First", files: ["a": "a\n"]))
        let second = try ObjectID.parse(try repo.commit("Second", files: ["b": "b\n"]))
        let opened = try Repository.discover(containing: repo.path)
        try repo.git(["notes", "--ref=lsm", "add", "-m", "earlier", first.hex])

        let changed = try opened.updateNotes(for: [first, second], notesRef: "refs/notes/lsm", author: author, message: "lsm: test") {
            object, current in (current ?? "") + "note on \(object.abbreviated())\n"
        }

        #expect(changed == 2)
        #expect(try repo.git(["rev-list", "--count", "refs/notes/lsm"]) == "2\n")
        #expect(try repo.git(["log", "-1", "--format=%s", "refs/notes/lsm"]) == "lsm: test\n")
        #expect(try opened.note(for: first, notesRef: "refs/notes/lsm") == "earlier\nnote on \(first.abbreviated())\n")
        #expect(try opened.note(for: second, notesRef: "refs/notes/lsm") == "note on \(second.abbreviated())\n")
    }

    @Test func readsMissingNoteAsNil() throws {
        let repo = try TestRepository()
        let tip = try ObjectID.parse(try repo.commit("Initial", files: ["a": "a\n"]))
        let opened = try Repository.discover(containing: repo.path)

        #expect(try opened.note(for: tip, notesRef: "refs/notes/lsm") == nil)
        #expect(try opened.notedObjects(notesRef: "refs/notes/lsm").isEmpty)
    }

    @Test func transformSeesCurrentNoteAndNilRemovesIt() throws {
        let repo = try TestRepository()
        let tip = try ObjectID.parse(try repo.commit("Initial", files: ["a": "a\n"]))
        let opened = try Repository.discover(containing: repo.path)
        try repo.git(["notes", "--ref=lsm", "add", "-m", "from git", tip.hex])

        try opened.updateNote(for: tip, notesRef: "refs/notes/lsm", author: author) { current in (current ?? "") + "and lsm\n" }
        #expect(try opened.note(for: tip, notesRef: "refs/notes/lsm") == "from git\nand lsm\n")

        try opened.updateNote(for: tip, notesRef: "refs/notes/lsm", author: author) { _ in nil }
        #expect(try opened.note(for: tip, notesRef: "refs/notes/lsm") == nil)
    }

    @Test func concurrentNoteWritersLoseNoNote() async throws {
        // `git notes add` run like this keeps about a third of the notes; lsm must keep all of them.
        let repo = try TestRepository()
        var commits: [ObjectID] = []
        for index in 0..<40 {
            commits.append(try ObjectID.parse(try repo.commit("c\(index)", files: ["f": "\(index)\n"])))
        }
        let path = repo.path
        let author = self.author
        let batches = stride(from: 0, to: commits.count, by: 5).map { Array(commits[$0..<min($0 + 5, commits.count)]) }

        try await withThrowingTaskGroup(of: Void.self) { group in
            for batch in batches {
                group.addTask {
                    let opened = try Repository.discover(containing: path)
                    for commit in batch {
                        try opened.updateNote(for: commit, notesRef: "refs/notes/lsm", author: author) { _ in "note \(commit.hex)\n" }
                    }
                }
            }
            try await group.waitForAll()
        }

        let opened = try Repository.discover(containing: path)
        for commit in commits {
            #expect(try opened.note(for: commit, notesRef: "refs/notes/lsm") == "note \(commit.hex)\n")
        }
    }
}
