import Foundation
import LsmCore
import LsmGit
import LsmTestSupport
import Testing

/// Relocation on real repositories made with the git CLI: each state, the working tree, renames.
@Suite struct RelocatorTests {
    /// A file of distinct, code-like lines: `def f1(): return 1`, …
    static func source(_ count: Int, prefix: String = "f") -> [String] {
        (1...count).map { "def \(prefix)\($0)(value): return value * \($0) + \(prefix.count)" }
    }

    static func text(_ lines: [String]) -> String { lines.map { $0 + "\n" }.joined() }

    /// A repository whose first commit has `lines` at `path`, and an anchor on `range` of it.
    struct Fixture {
        let repo: TestRepository
        let repository: Repository
        let anchor: Anchor

        init(_ lines: [String], path: String = "src/code.py", range: ClosedRange<Int>, columns: (Int, Int)? = nil) throws {
            repo = try TestRepository()
            let commit = try repo.commit("first", files: [path: RelocatorTests.text(lines)])
            repository = try Repository.discover(containing: repo.path)
            let blob = try repository.writeBlob(Data(RelocatorTests.text(lines).utf8))
            anchor = Anchor(
                commit: commit, path: path, blob: blob.hex, startLine: range.lowerBound, endLine: range.upperBound,
                startColumn: columns?.0, endColumn: columns?.1, fileLines: lines)
        }

        /// Commits `files` and relocates the anchor to the new HEAD.
        func relocateAfterCommitting(_ files: [String: String], removing removed: [String] = []) throws -> AnchorLocation {
            for path in removed { try repo.git(["rm", "-q", path]) }
            let head = try repo.commit("edit", files: files)
            return try Relocator(repository: repository).relocate(anchor, to: .commit(try ObjectID.parse(head)))
        }
    }

    @Test func sameBlobKeepsTheSameLines() throws {
        let fixture = try Fixture(Self.source(20), range: 5...7, columns: (3, 9))
        let location = try fixture.relocateAfterCommitting(["other.txt": "x\n"])
        #expect(location == AnchorLocation(state: .current, path: "src/code.py", startLine: 5, endLine: 7, startColumn: 3, endColumn: 9))
    }

    @Test func relocatesThreadPastInsertedLines() throws {
        let lines = Self.source(30)
        let fixture = try Fixture(lines, range: 10...12)
        let edited = Array(lines[..<3]) + ["import os", "import sys"] + Array(lines[3...])
        let location = try fixture.relocateAfterCommitting(["src/code.py": Self.text(edited)])
        #expect(location == AnchorLocation(state: .current, path: "src/code.py", startLine: 12, endLine: 14))
    }

    @Test func editedLineIsChangedWhereItNowIs() throws {
        let lines = Self.source(30)
        let fixture = try Fixture(lines, range: 15...15, columns: (5, 12))
        var edited = lines
        edited[14] = "def f15(value, scale): return value * 15 + 1"
        edited.insert("# a new comment", at: 2)
        let location = try fixture.relocateAfterCommitting(["src/code.py": Self.text(edited)])
        #expect(location.state == .changed)
        #expect(location.startLine == 16 && location.endLine == 16)
        #expect(location.startColumn == 5)
    }

    @Test func unrelatedReplacementIsOutdatedNotChanged() throws {
        let lines = Self.source(30)
        let fixture = try Fixture(lines, range: 15...15)
        var edited = lines
        edited[14] = "    raise NotImplementedError"
        let location = try fixture.relocateAfterCommitting(["src/code.py": Self.text(edited)])
        #expect(location == AnchorLocation(state: .outdated, path: "src/code.py", startLine: 15, endLine: 15))
    }

    @Test func movedBlockIsFoundWithItsContext() throws {
        let lines = Self.source(60)
        let fixture = try Fixture(lines, range: 11...12)
        // Lines 9–14 (the anchored two with two lines each side) moved to the end.
        let edited = Array(lines[..<8]) + Array(lines[14...]) + Array(lines[8..<14])
        let location = try fixture.relocateAfterCommitting(["src/code.py": Self.text(edited)])
        #expect(location == AnchorLocation(state: .moved, path: "src/code.py", startLine: 57, endLine: 58))
    }

    @Test func deletedCodeIsOutdatedEvenWhenACopyAppearsElsewhere() throws {
        let lines = Self.source(60)
        let fixture = try Fixture(lines, range: 20...21)
        // The anchored lines deleted; the same two lines pasted far away, among other neighbours.
        var edited = lines
        edited.removeSubrange(19..<21)
        edited.insert(contentsOf: lines[19..<21], at: 50)
        let location = try fixture.relocateAfterCommitting(["src/code.py": Self.text(edited)])
        #expect(location == AnchorLocation(state: .outdated, path: "src/code.py", startLine: 20, endLine: 20))
    }

    @Test func identicalCopyElsewhereDoesNotMoveAnUntouchedThread() throws {
        let lines = Self.source(60)
        let fixture = try Fixture(lines, range: 40...40)
        let edited = Array(lines[..<5]) + [lines[39]] + Array(lines[5...])
        let location = try fixture.relocateAfterCommitting(["src/code.py": Self.text(edited)])
        #expect(location == AnchorLocation(state: .current, path: "src/code.py", startLine: 41, endLine: 41))
    }

    @Test func partlyDeletedRangeIsChangedOverWhatRemains() throws {
        let lines = Self.source(30)
        let fixture = try Fixture(lines, range: 10...12)
        var edited = lines
        edited.remove(at: 11)
        let location = try fixture.relocateAfterCommitting(["src/code.py": Self.text(edited)])
        #expect(location == AnchorLocation(state: .changed, path: "src/code.py", startLine: 10, endLine: 11))
    }

    @Test func whitespaceOnlyChangeIsCurrent() throws {
        let lines = Self.source(30)
        let fixture = try Fixture(lines, range: 10...10)
        var edited = lines
        edited[9] = "    " + lines[9].replacingOccurrences(of: " ", with: "  ")
        let location = try fixture.relocateAfterCommitting(["src/code.py": Self.text(edited)])
        #expect(location == AnchorLocation(state: .current, path: "src/code.py", startLine: 10, endLine: 10))
    }

    @Test func renamedFileIsFollowed() throws {
        let lines = Self.source(40)
        let fixture = try Fixture(lines, range: 20...20)
        try fixture.repo.git(["mv", "src/code.py", "src/renamed.py"])
        let location = try fixture.relocateAfterCommitting(["src/renamed.py": Self.text(["# header"] + lines)])
        #expect(location == AnchorLocation(state: .moved, path: "src/renamed.py", startLine: 21, endLine: 21))
    }

    @Test func deletedFileIsOrphaned() throws {
        let fixture = try Fixture(Self.source(20), range: 3...3)
        let location = try fixture.relocateAfterCommitting([:], removing: ["src/code.py"])
        #expect(location == .orphaned)
    }

    @Test func blockMovedToAnotherFileIsFoundThere() throws {
        let lines = Self.source(40)
        let fixture = try Fixture(lines, range: 20...21)
        let rest = Array(lines[..<17]) + Array(lines[24...])
        let other = Self.source(30, prefix: "g")
        let moved = Array(other[..<10]) + Array(lines[17..<24]) + Array(other[10...])
        let location = try fixture.relocateAfterCommitting(["src/code.py": Self.text(rest), "src/other.py": Self.text(moved)])
        #expect(location == AnchorLocation(state: .moved, path: "src/other.py", startLine: 13, endLine: 14))
    }

    @Test func workingTreeEditsAreSeenBeforeTheyAreCommitted() throws {
        let lines = Self.source(30)
        let fixture = try Fixture(lines, range: 10...11)
        try fixture.repo.write("src/code.py", Self.text(["# new first line"] + lines))
        let location = try Relocator(repository: fixture.repository).relocate(fixture.anchor, to: .workingTree)
        #expect(location == AnchorLocation(state: .current, path: "src/code.py", startLine: 11, endLine: 12))
    }

    @Test func workingTreeRenameIsFollowedFromDeletedAndUntrackedFiles() throws {
        let lines = Self.source(30)
        let fixture = try Fixture(lines, range: 10...11)
        try FileManager.default.removeItem(atPath: fixture.repo.path + "/src/code.py")
        try fixture.repo.write("lib/moved.py", Self.text(lines + ["# appended"]))
        let location = try Relocator(repository: fixture.repository).relocate(fixture.anchor, to: .workingTree)
        #expect(location == AnchorLocation(state: .moved, path: "lib/moved.py", startLine: 10, endLine: 11))
    }

    @Test func batchRelocationAgreesWithOneAtATime() throws {
        let lines = Self.source(80)
        let fixture = try Fixture(lines, range: 1...1)
        var edited = lines
        edited.removeSubrange(30..<33)
        edited[50] = "def f54(value, other): return value * 54 + 1"
        edited.insert(contentsOf: ["# a", "# b"], at: 10)
        let head = try fixture.repo.commit("edit", files: ["src/code.py": Self.text(edited)])
        let anchors = stride(from: 1, through: 78, by: 3).map { start in
            Anchor(
                commit: fixture.anchor.commit, path: fixture.anchor.path, blob: fixture.anchor.blob, startLine: start, endLine: start + 2,
                fileLines: lines)
        }
        let relocator = Relocator(repository: fixture.repository)
        let target = RelocationTarget.commit(try ObjectID.parse(head))
        let batch = try relocator.relocate(anchors, to: target)
        let single = try anchors.map { try relocator.relocate($0, to: target) }
        #expect(batch == single)
        #expect(Set(batch.map(\.state)) == [.current, .changed, .outdated])
    }
}
