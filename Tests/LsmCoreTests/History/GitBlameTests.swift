import Foundation
import LsmGit
import LsmTestSupport
import Testing

@testable import LsmCore

@Suite struct GitBlameTests {
    private func hunks(_ repo: TestRepository, _ path: String, at commit: ObjectID? = nil) throws -> [BlameHunk] {
        let opened = try Repository.discover(containing: repo.path)
        let head = try #require(try opened.head().commit)
        let workspace = Workspace(directory: repo.path, environment: repo.environment)
        return try GitBlame.hunks(path: path, at: commit ?? head, repositoryRoot: repo.path, git: GitCommand(workspace: workspace))
    }

    @Test func namesTheCommitThatLastChangedEachLine() throws {
        // Given a file whose middle line a second commit changed
        let repo = try TestRepository()
        let first = try ObjectID.parse(try repo.commit("Add", files: ["f.txt": "a\nb\nc\n"]))
        let second = try ObjectID.parse(try repo.commit("Change b", files: ["f.txt": "a\nB\nc\n"]))

        // When it is blamed at HEAD
        let blamed = try hunks(repo, "f.txt")

        // Then line 2 belongs to the second commit and the rest to the first, in line order
        #expect(
            blamed == [
                BlameHunk(startLine: 1, lineCount: 1, commit: first, originalPath: "f.txt", originalStartLine: 1),
                BlameHunk(startLine: 2, lineCount: 1, commit: second, originalPath: "f.txt", originalStartLine: 2),
                BlameHunk(startLine: 3, lineCount: 1, commit: first, originalPath: "f.txt", originalStartLine: 3),
            ])
        // And blaming the first commit sees only it
        #expect(try hunks(repo, "f.txt", at: first).map(\.commit) == [first])
    }

    @Test func followsARenameAndUnquotesUnusualPaths() throws {
        let repo = try TestRepository()
        let first = try ObjectID.parse(try repo.commit("Add", files: ["old \"ä\".txt": "one\ntwo\nthree\nfour\nfive\n"]))
        try repo.git(["mv", "old \"ä\".txt", "new.txt"])
        try repo.git(["commit", "-q", "-m", "Rename"])
        let third = try ObjectID.parse(try repo.commit("Append", files: ["new.txt": "one\ntwo\nthree\nfour\nfive\nsix\n"]))

        let blamed = try hunks(repo, "new.txt")

        #expect(blamed.map(\.commit) == [first, third])
        #expect(blamed.first?.originalPath == "old \"ä\".txt")
        #expect(blamed.last?.originalPath == "new.txt")
        #expect(blamed.last?.originalStartLine == 6)
    }

    @Test func aMissingPathIsAnErrorWithGitsMessage() throws {
        let repo = try TestRepository()
        try repo.commit("Add", files: ["f.txt": "a\n"])

        #expect {
            try hunks(repo, "missing.txt")
        } throws: { error in
            (error as? LsmError)?.cause?.contains("missing.txt") == true
        }
    }

    @Test func unquotesGitsCStyleEscapes() {
        #expect(GitBlame.unquote("plain/path.txt") == "plain/path.txt")
        #expect(GitBlame.unquote(#""tab\there""#) == "tab\there")
        #expect(GitBlame.unquote(#""\303\244\\\"x\"""#) == "ä\\\"x\"")
        #expect(GitBlame.unquote(#""""#) == "")
    }

    @Test func rejectsOutputItCannotRead() throws {
        #expect(throws: LsmError.self) { try GitBlame.parse("not a hunk header\n") }
        let header = String(repeating: "a", count: 40) + " 1 1 1\nauthor X\n"
        #expect(throws: LsmError.self) { try GitBlame.parse(header) }
        #expect(try GitBlame.parse(header + "filename f.txt\n").map(\.lineCount) == [1])
    }
}
