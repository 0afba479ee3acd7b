import Foundation
import LsmGit
import LsmTestSupport
import Testing

@Suite struct HistoryToolsTests {
    let author = Signature(name: "Lsm", email: "lsm@example.com", date: HermeticGit.baseDate)

    @Test func reflogNamesHowHeadMoved() throws {
        let repo = try TestRepository()
        let first = try ObjectID.parse(try repo.commit("one", files: ["a": "1\n"]))
        try repo.git(["commit", "-q", "--amend", "-m", "one again"])
        let amended = try ObjectID.parse(try repo.revParse("HEAD"))
        let opened = try Repository.discover(containing: repo.path)

        let entries = try opened.reflogEntries(of: "HEAD", limit: 5)

        #expect(entries.map(\.newTarget) == [amended, first])
        #expect(entries[0].oldTarget == first)
        #expect(entries[0].message.hasPrefix("commit (amend): one again"))
        #expect(entries[1].oldTarget == nil)
        #expect(entries[1].message.hasPrefix("commit (initial): one"))
        #expect(try opened.reflogEntries(of: "HEAD", limit: 1).count == 1)
    }

    @Test func revisionRangesSelectAsGitLogDoes() throws {
        let repo = try TestRepository()
        try repo.commit("base", files: ["a": "1\n"])
        try repo.git(["checkout", "-q", "-b", "topic"])
        try repo.commit("topic 1", files: ["b": "1\n"])
        try repo.commit("topic 2", files: ["b": "2\n"])
        try repo.git(["checkout", "-q", "main"])
        try repo.commit("main 1", files: ["c": "1\n"])
        let opened = try Repository.discover(containing: repo.path)

        func subjects(_ expression: String) throws -> [String] {
            let range = try opened.revisionRange(expression)
            return try opened.history(from: range.tips, excluding: range.excluded).map(\.summary)
        }

        #expect(try subjects("main..topic") == ["topic 2", "topic 1"])
        #expect(try subjects("topic..") == ["main 1"])
        #expect(Set(try subjects("main...topic")) == ["topic 2", "topic 1", "main 1"])
        #expect(try subjects("topic") == ["topic 2", "topic 1", "base"])
        #expect(throws: GitError.self) { try opened.revisionRange("nope..main") }
    }

    @Test func trailersAreReadFromTheLastParagraph() {
        let message = "Subject\n\nBody line.\n\nLSM-Session: claude-code/abc\nCo-authored-by: Claude <noreply@anthropic.com>\n"
        let trailers = MessageTrailers.parse(message)
        #expect(trailers.map(\.key) == ["LSM-Session", "Co-authored-by"])
        #expect(trailers.map(\.value) == ["claude-code/abc", "Claude <noreply@anthropic.com>"])
        #expect(MessageTrailers.parse("Subject only\n").isEmpty)
    }

    @Test func localConfigValuesAreAddedAndRemovedExactly() throws {
        let repo = try TestRepository()
        try repo.git(["config", "--add", "notes.rewriteRef", "refs/notes/commits"])
        let opened = try Repository.discover(containing: repo.path)

        try opened.addLocalConfigValue("notes.rewriteRef", "refs/notes/lsm")
        #expect(try opened.localConfigValues("notes.rewriteRef") == ["refs/notes/commits", "refs/notes/lsm"])
        #expect(try repo.git(["config", "--get-all", "notes.rewriteRef"]) == "refs/notes/commits\nrefs/notes/lsm\n")

        try opened.removeLocalConfigValue("notes.rewriteRef", "refs/notes/lsm")
        try opened.removeLocalConfigValue("notes.rewriteRef", "refs/notes/absent")
        #expect(try opened.localConfigValues("notes.rewriteRef") == ["refs/notes/commits"])
        #expect(try opened.localConfigValues("lsm.unset").isEmpty)
    }

    @Test func updateNotesWritesSeveralNotesInOneCommit() throws {
        let repo = try TestRepository()
        let a = try ObjectID.parse(try repo.commit("a", files: ["a": "1\n"]))
        let b = try ObjectID.parse(try repo.commit("b", files: ["a": "2\n"]))
        let opened = try Repository.discover(containing: repo.path)
        try repo.git(["notes", "--ref=lsm", "add", "-m", "old", a.hex])
        let before = try opened.referenceTarget("refs/notes/lsm")

        let changed = try opened.updateNotes(for: [a, b], notesRef: "refs/notes/lsm", author: author, message: "batch") { object, current in
            (current ?? "") + "+\(object.abbreviated())\n"
        }

        #expect(changed == 2)
        #expect(try repo.git(["notes", "--ref=lsm", "show", a.hex]) == "old\n+\(a.abbreviated())\n")
        #expect(try repo.git(["notes", "--ref=lsm", "show", b.hex]) == "+\(b.abbreviated())\n")
        let tip = try #require(try opened.referenceTarget("refs/notes/lsm"))
        #expect(try repo.git(["rev-list", "--count", "\(before!.hex)..\(tip.hex)"]) == "1\n")
        #expect(
            try opened.updateNotes(for: [a], notesRef: "refs/notes/lsm", author: author, message: "same") { _, current in current } == 0)
    }

    @Test func mergeNotesFastForwardsOrJoinsBothSides() throws {
        let repo = try TestRepository()
        let a = try ObjectID.parse(try repo.commit("a", files: ["a": "1\n"]))
        let b = try ObjectID.parse(try repo.commit("b", files: ["a": "2\n"]))
        let opened = try Repository.discover(containing: repo.path)
        try repo.git(["notes", "--ref=theirs", "add", "-m", "theirs a", a.hex])
        let theirs = try #require(try opened.referenceTarget("refs/notes/theirs"))

        #expect(try opened.mergeNotes(theirs, into: "refs/notes/lsm", author: author) { _, _, _ in nil } == .fastForward)
        #expect(try opened.mergeNotes(theirs, into: "refs/notes/lsm", author: author) { _, _, _ in nil } == .upToDate)

        try repo.git(["notes", "--ref=lsm", "add", "-m", "ours b", b.hex])
        try repo.git(["notes", "--ref=lsm", "add", "-f", "-m", "ours a", a.hex])
        try repo.git(["notes", "--ref=theirs", "add", "-f", "-m", "theirs a 2", a.hex])
        let theirs2 = try #require(try opened.referenceTarget("refs/notes/theirs"))
        let result = try opened.mergeNotes(theirs2, into: "refs/notes/lsm", author: author) { _, ours, theirs in
            [ours ?? "", theirs].joined(separator: "|")
        }

        #expect(result == .merged(changedNotes: 1))
        #expect(try opened.note(for: a, notesRef: "refs/notes/lsm") == "ours a\n|theirs a 2\n")
        #expect(try opened.note(for: b, notesRef: "refs/notes/lsm") == "ours b\n")
        let tip = try #require(try opened.referenceTarget("refs/notes/lsm"))
        #expect(try opened.commit(tip).parents.count == 2)
        #expect(try opened.isAncestor(theirs2, of: tip))
        #expect(try opened.mergeNotes(theirs2, into: "refs/notes/lsm", author: author) { _, _, _ in nil } == .upToDate)
    }
}
