import Foundation
import LsmGit
import LsmTestSupport
import Testing

@Suite struct DiffTests {
    @Test func blobDiffReportsHunksWithLineNumbersOnBothSides() throws {
        let repo = try TestRepository()
        let opened = try Repository.discover(containing: repo.path)
        let old = try opened.writeBlob(Data("a\nb\nc\nd\ne\n".utf8))
        let new = try opened.writeBlob(Data("a\nB\nc\nd\ne\nf\n".utf8))

        let diff = try opened.diffBlobs(from: old, to: new, options: DiffOptions(contextLines: 0))

        #expect(diff.hunks.count == 2)
        let changed = diff.hunks[0]
        #expect((changed.oldStart, changed.oldCount, changed.newStart, changed.newCount) == (2, 1, 2, 1))
        #expect(
            changed.lines == [
                DiffLine(origin: .deletion, oldLine: 2, newLine: nil, text: "b"),
                DiffLine(origin: .addition, oldLine: nil, newLine: 2, text: "B"),
            ])
        #expect(diff.hunks[1].lines == [DiffLine(origin: .addition, oldLine: nil, newLine: 6, text: "f")])
    }

    @Test func blobDiffAgainstBufferSeesUnsavedText() throws {
        let repo = try TestRepository()
        let opened = try Repository.discover(containing: repo.path)
        let old = try opened.writeBlob(Data("one\ntwo\n".utf8))

        let diff = try opened.diffBlob(old, toContents: Data("zero\none\ntwo\n".utf8))

        let added = diff.hunks.flatMap(\.lines).filter { $0.origin == .addition }
        #expect(added == [DiffLine(origin: .addition, oldLine: nil, newLine: 1, text: "zero")])
        let context = diff.hunks.flatMap(\.lines).filter { $0.origin == .context }
        #expect(context.map(\.oldLine) == [1, 2])
        #expect(context.map(\.newLine) == [2, 3])
    }

    @Test func diffFromNothingAddsEveryLine() throws {
        let repo = try TestRepository()
        let opened = try Repository.discover(containing: repo.path)
        let new = try opened.writeBlob(Data("x\ny\n".utf8))

        let diff = try opened.diffBlobs(from: nil, to: new)

        #expect(diff.hunks.flatMap(\.lines).map(\.origin) == [.addition, .addition])
    }

    @Test func treeDiffFollowsRenamesWithEdits() throws {
        let repo = try TestRepository()
        let body = (1...20).map { "line \($0)" }.joined(separator: "\n") + "\n"
        let first = try repo.commit("add", files: ["old/name.txt": body, "keep.txt": "k\n"])
        try FileManager.default.createDirectory(atPath: repo.path + "/new", withIntermediateDirectories: true)
        try repo.git(["mv", "old/name.txt", "new/name.txt"])
        try repo.write("new/name.txt", body.replacingOccurrences(of: "line 10\n", with: "line ten\n"))
        let second = try repo.commit("rename and edit")
        let opened = try Repository.discover(containing: repo.path)

        let files = try opened.diffTrees(from: try ObjectID.parse(first), to: try ObjectID.parse(second))

        let rename = try #require(files.first)
        #expect(files.count == 1)
        #expect(rename.status == .renamed)
        #expect(rename.oldPath == "old/name.txt")
        #expect(rename.newPath == "new/name.txt")
        #expect(rename.similarity >= 50)
        #expect(rename.hunks.flatMap(\.lines).filter { $0.origin != .context }.map(\.text) == ["line 10", "line ten"])
        #expect(rename.oldBlob?.hex == (try repo.revParse("\(first):old/name.txt")))
    }

    @Test func treeDiffWithoutRenameDetectionSeesDeleteAndAdd() throws {
        let repo = try TestRepository()
        let first = try repo.commit("add", files: ["a.txt": "same content here\nand more\n"])
        try repo.git(["mv", "a.txt", "b.txt"])
        let second = try repo.commit("rename")
        let opened = try Repository.discover(containing: repo.path)

        let files = try opened.diffTrees(
            from: try ObjectID.parse(first), to: try ObjectID.parse(second),
            options: DiffOptions(detectRenames: false, filesOnly: true))

        #expect(files.map(\.status).sorted { "\($0)" < "\($1)" } == [.added, .deleted])
    }

    @Test func workingTreeDiffSeesStagedRenameAndUnstagedEdit() throws {
        let repo = try TestRepository()
        let body = (1...10).map { "row \($0)" }.joined(separator: "\n") + "\n"
        let first = try repo.commit("add", files: ["src/file.txt": body])
        try repo.git(["mv", "src/file.txt", "src/moved.txt"])
        try repo.write("src/moved.txt", "row 0\n" + body)
        try repo.write("untracked.txt", "new\n")
        let opened = try Repository.discover(containing: repo.path)
        let base = try ObjectID.parse(first)

        let tracked = try opened.diffToWorkingTree(from: base)
        let withUntracked = try opened.diffToWorkingTree(from: base, options: DiffOptions(includeUntracked: true))

        let moved = try #require(tracked.first)
        #expect(tracked.count == 1)
        #expect(moved.status == .renamed)
        #expect(moved.newPath == "src/moved.txt")
        #expect(moved.hunks.flatMap(\.lines).filter { $0.origin == .addition }.map(\.text) == ["row 0"])
        #expect(withUntracked.contains { $0.newPath == "untracked.txt" && $0.status == .untracked })
    }
}
