import Foundation
import LsmGit
import LsmTestSupport
import Testing

@Suite struct BlameTests {
    @Test func blameNamesTheCommitThatLastChangedEachLine() throws {
        // Given a file whose middle line a second commit changed
        let repo = try TestRepository()
        let first = try ObjectID.parse(try repo.commit("Add", files: ["f.txt": "a\nb\nc\n"]))
        let second = try ObjectID.parse(try repo.commit("Change b", files: ["f.txt": "a\nB\nc\n"]))
        let opened = try Repository.discover(containing: repo.path)

        // When it is blamed at HEAD
        let hunks = try opened.blame(path: "f.txt")

        // Then line 2 belongs to the second commit and the rest to the first
        #expect(
            hunks == [
                BlameHunk(startLine: 1, lineCount: 1, commit: first, originalPath: "f.txt", originalStartLine: 1),
                BlameHunk(startLine: 2, lineCount: 1, commit: second, originalPath: "f.txt", originalStartLine: 2),
                BlameHunk(startLine: 3, lineCount: 1, commit: first, originalPath: "f.txt", originalStartLine: 3),
            ])
        // And blaming the first commit sees only it
        #expect(try opened.blame(path: "f.txt", at: first).map(\.commit) == [first])
    }

    @Test func blameFollowsARename() throws {
        let repo = try TestRepository()
        let first = try ObjectID.parse(try repo.commit("Add", files: ["old.txt": "one\ntwo\nthree\nfour\nfive\n"]))
        try repo.git(["mv", "old.txt", "new.txt"])
        try repo.git(["commit", "-q", "-m", "Rename"])
        let third = try ObjectID.parse(try repo.commit("Append", files: ["new.txt": "one\ntwo\nthree\nfour\nfive\nsix\n"]))
        let opened = try Repository.discover(containing: repo.path)

        let hunks = try opened.blame(path: "new.txt")

        #expect(hunks.map(\.commit) == [first, third])
        #expect(hunks.first?.originalPath == "old.txt")
        #expect(hunks.last?.originalPath == "new.txt")
        #expect(hunks.last?.originalStartLine == 6)
    }

    @Test func blameOfAMissingPathIsNotFound() throws {
        let repo = try TestRepository()
        try repo.commit("Add", files: ["f.txt": "a\n"])
        let opened = try Repository.discover(containing: repo.path)

        #expect(throws: GitError.self) { try opened.blame(path: "missing.txt") }
        do {
            _ = try opened.blame(path: "missing.txt")
        } catch {
            #expect(error.code == .notFound)
        }
    }
}
