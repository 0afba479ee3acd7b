import Foundation
import LsmCore
import LsmGit
import LsmTestSupport
import Testing

/// GitLab's PositionTracer test grid ("Douwe's diary"), for anchors: what happened to the file ×
/// where the anchored line is relative to the change, each with the one right answer.
@Suite struct RelocationGridTests {
    enum FileChange: String, CaseIterable, Sendable {
        case unchanged
        case modified
        case renamed
        case renamedAndModified
        case deleted
        case deletedAndAddedElsewhere
    }

    enum LinePosition: String, CaseIterable, Sendable {
        /// Lines inserted and replaced above the anchored line.
        case belowTheChange
        /// Lines inserted and replaced below it.
        case aboveTheChange
        /// The anchored line itself edited.
        case edited
        /// The anchored line removed.
        case removed
    }

    static let lines = RelocatorTests.source(40)
    static let anchoredLine = 20

    /// The file after `position`'s edit (for the "modified" kinds of file change).
    static func edited(_ position: LinePosition) -> [String] {
        var edited = lines
        switch position {
        case .belowTheChange:
            edited[4] = "def replaced(value): return value"
            edited.insert(contentsOf: ["# one", "# two"], at: 2)
        case .aboveTheChange:
            edited[30] = "def replaced(value): return value"
            edited.insert("# below", at: 35)
        case .edited:
            edited[anchoredLine - 1] = "def f20(value, extra): return value * 20 + 1"
        case .removed:
            edited.remove(at: anchoredLine - 1)
        }
        return edited
    }

    /// The right answer: (state, path, line), or orphaned.
    static func expected(_ change: FileChange, _ position: LinePosition) -> AnchorLocation {
        let path: String? =
            switch change {
            case .unchanged, .modified: "src/code.py"
            case .renamed, .renamedAndModified: "src/renamed.py"
            case .deleted: nil
            case .deletedAndAddedElsewhere: "lib/elsewhere.py"
            }
        guard let path else { return .orphaned }
        switch change {
        case .unchanged:
            return AnchorLocation(state: .current, path: path, startLine: anchoredLine, endLine: anchoredLine)
        case .renamed:
            return AnchorLocation(state: .moved, path: path, startLine: anchoredLine, endLine: anchoredLine)
        case .deletedAndAddedElsewhere:
            // The whole file's code, unchanged, in a new file: moved there with its context; what was
            // removed or edited is gone with the old file.
            switch position {
            case .edited, .removed: return .orphaned
            case .belowTheChange:
                // A header line added, the replaced line 5 left behind.
                return AnchorLocation(state: .moved, path: path, startLine: anchoredLine, endLine: anchoredLine)
            case .aboveTheChange:
                return AnchorLocation(state: .moved, path: path, startLine: anchoredLine + 1, endLine: anchoredLine + 1)
            }
        case .modified, .renamedAndModified:
            let unchanged: AnchorState = change == .modified ? .current : .moved
            switch position {
            case .belowTheChange:
                return AnchorLocation(state: unchanged, path: path, startLine: anchoredLine + 2, endLine: anchoredLine + 2)
            case .aboveTheChange: return AnchorLocation(state: unchanged, path: path, startLine: anchoredLine, endLine: anchoredLine)
            case .edited: return AnchorLocation(state: .changed, path: path, startLine: anchoredLine, endLine: anchoredLine)
            case .removed: return AnchorLocation(state: .outdated, path: path, startLine: anchoredLine, endLine: anchoredLine)
            }
        case .deleted:
            return .orphaned
        }
    }

    @Test(arguments: FileChange.allCases, LinePosition.allCases)
    func anchoredLineLandsWhereTheGridSays(change: FileChange, position: LinePosition) throws {
        let fixture = try RelocatorTests.Fixture(Self.lines, range: Self.anchoredLine...Self.anchoredLine)
        let repo = fixture.repo
        let edited = RelocatorTests.text(Self.edited(position))
        switch change {
        case .unchanged:
            try repo.write("unrelated.txt", "x\n")
        case .modified:
            try repo.write("src/code.py", edited)
        case .renamed:
            try repo.git(["mv", "src/code.py", "src/renamed.py"])
        case .renamedAndModified:
            try repo.git(["mv", "src/code.py", "src/renamed.py"])
            try repo.write("src/renamed.py", edited)
        case .deleted:
            try repo.git(["rm", "-q", "src/code.py"])
        case .deletedAndAddedElsewhere:
            try repo.git(["rm", "-q", "src/code.py"])
            let kept = Self.edited(position).filter { $0.hasPrefix("def f") }
            // Unrelated enough not to count as a rename: a new header and body around the kept code.
            let other = RelocatorTests.source(100, prefix: "zz")
            try repo.write("lib/elsewhere.py", RelocatorTests.text(["# moved here"] + kept + other))
        }
        let head = try repo.commit("change")
        let location = try Relocator(repository: fixture.repository).relocate(fixture.anchor, to: .commit(try ObjectID.parse(head)))
        #expect(location == Self.expected(change, position))
    }
}
