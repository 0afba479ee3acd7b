import Foundation
import LsmGit
import LsmTestSupport
import Testing

@Suite struct ObjectTests {
    @Test func objectIDRoundTripsThroughHex() throws {
        let hex = "0123456789abcdef0123456789abcdef01234567"
        let id = try ObjectID.parse(hex)
        #expect(id.hex == hex)
        #expect(id.abbreviated() == "0123456")
        #expect(ObjectID(hex: "xyz") == nil)
        #expect(ObjectID(hex: String(hex.dropLast())) == nil)
    }

    @Test func readsCommitAsGitWroteIt() throws {
        let repo = try TestRepository()
        let first = try repo.commit("First\n\nWith a body.", files: ["a.txt": "1\n"])
        let second = try repo.commit("Second", files: ["a.txt": "2\n"])
        let opened = try Repository.discover(containing: repo.path)

        let commit = try opened.commit(try ObjectID.parse(second))

        #expect(commit.summary == "Second")
        #expect(commit.parents == [try ObjectID.parse(first)])
        #expect(commit.author.name == HermeticGit.authorName)
        #expect(commit.author.email == HermeticGit.authorEmail)
        #expect(commit.tree.hex == (try repo.revParse("HEAD^{tree}")))
        #expect(try opened.commit(try ObjectID.parse(first)).message == "First\n\nWith a body.\n")
    }

    @Test func resolvesRevisionExpressions() throws {
        let repo = try TestRepository()
        let first = try repo.commit("First", files: ["a.txt": "1\n"])
        try repo.commit("Second", files: ["a.txt": "2\n"])
        let opened = try Repository.discover(containing: repo.path)

        #expect(try opened.resolveCommit("HEAD~1").id.hex == first)
        #expect(try opened.resolveCommit(String(first.prefix(8))).id.hex == first)
        #expect {
            try opened.resolveCommit("no-such-branch")
        } throws: { error in
            (error as? GitError)?.message == "unknown revision 'no-such-branch'"
        }
    }

    @Test func walksHistoryNewestFirstAndHonoursExclusions() throws {
        let repo = try TestRepository()
        let one = try repo.commit("one", files: ["a.txt": "1\n"])
        let two = try repo.commit("two", files: ["a.txt": "2\n"])
        let three = try repo.commit("three", files: ["a.txt": "3\n"])
        let opened = try Repository.discover(containing: repo.path)
        let tip = try ObjectID.parse(three)

        #expect(try opened.history(from: [tip]).map(\.id.hex) == [three, two, one])
        #expect(try opened.history(from: [tip], order: .reverse).map(\.id.hex) == [one, two, three])
        #expect(try opened.history(from: [tip], excluding: [try ObjectID.parse(one)]).map(\.id.hex) == [three, two])
        #expect(try opened.history(from: [tip], limit: 1).map(\.id.hex) == [three])
    }

    @Test func readsTreesAndBlobs() throws {
        let repo = try TestRepository()
        let tip = try repo.commit("files", files: ["src/a.swift": "let a = 1\n", "README.md": "hi\n"])
        let opened = try Repository.discover(containing: repo.path)
        let commit = try ObjectID.parse(tip)

        let paths = try opened.treeEntries(of: commit).map(\.path)
        #expect(paths == ["README.md", "src", "src/a.swift"])
        #expect(try opened.treeEntries(of: commit, under: "src").map(\.path) == ["src/a.swift"])

        let blob = try #require(try opened.blobID(at: "src/a.swift", in: commit))
        #expect(blob.hex == (try repo.revParse("HEAD:src/a.swift")))
        #expect(String(decoding: try opened.blobContents(blob), as: UTF8.self) == "let a = 1\n")
        #expect(try opened.blobID(at: "src/missing.swift", in: commit) == nil)
        #expect(try opened.blobID(at: "src", in: commit) == nil)
    }

    @Test func writesObjectsGitCanRead() throws {
        let repo = try TestRepository()
        let opened = try Repository.discover(containing: repo.path)

        let blob = try opened.writeBlob(Data("payload\n".utf8))
        let tree = try opened.writeTree(files: ["ops.json": blob])
        let author = Signature(name: "Lsm", email: "lsm@example.com", date: HermeticGit.baseDate)
        let commit = try opened.createCommit(tree: tree, parents: [], message: "pack 1\n", author: author)

        #expect(try repo.git(["cat-file", "-p", "\(commit.hex):ops.json"]) == "payload\n")
        #expect(try repo.git(["log", "-1", "--format=%an <%ae> %s", commit.hex]) == "Lsm <lsm@example.com> pack 1\n")
    }
}
