import Foundation
import LsmGit
import LsmTestSupport
import Testing

@testable import LsmCore

/// The shift mapper against a brute-force oracle (A8 in the research notes: simple shift mappers are
/// easy to get wrong), on diffs libgit2 really computes.
@Suite struct LineMapTests {
    /// Old line → new line of the longest common subsequence, by dynamic programming; with lines that
    /// are all distinct the subsequence is unique, so this is the one right answer.
    static func oracle(_ old: [String], _ new: [String]) -> [Int: Int] {
        var table = Array(repeating: Array(repeating: 0, count: new.count + 1), count: old.count + 1)
        for i in stride(from: old.count - 1, through: 0, by: -1) {
            for j in stride(from: new.count - 1, through: 0, by: -1) {
                table[i][j] = old[i] == new[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var pairs: [Int: Int] = [:]
        var i = 0
        var j = 0
        while i < old.count, j < new.count {
            if old[i] == new[j] {
                pairs[i + 1] = j + 1
                i += 1
                j += 1
            } else if table[i + 1][j] >= table[i][j + 1] {
                i += 1
            } else {
                j += 1
            }
        }
        return pairs
    }

    static func map(_ old: [String], _ new: [String], in repository: Repository) throws -> LineMap {
        let oldBlob = try repository.writeBlob(Data((old.map { $0 + "\n" }.joined()).utf8))
        let newBlob = try repository.writeBlob(Data((new.map { $0 + "\n" }.joined()).utf8))
        return LineMap(try repository.diffBlobs(from: oldBlob, to: newBlob, options: DiffOptions(contextLines: 0, detectRenames: false)))
    }

    @Test func shiftMatchesTheLongestCommonSubsequenceForRandomInsertionsAndDeletions() throws {
        let repo = try TestRepository()
        let repository = try Repository.discover(containing: repo.path)
        var random = SeededRandom(seed: 42)
        var fresh = 0
        for _ in 0..<200 {
            // Given a file of distinct lines and random runs of lines inserted and deleted
            let old = (0..<Int.random(in: 0...60, using: &random)).map { "line \($0)" }
            var new: [String] = []
            for line in old {
                if Int.random(in: 0..<5, using: &random) == 0 {
                    for _ in 0..<Int.random(in: 1...4, using: &random) {
                        fresh += 1
                        new.append("inserted \(fresh)")
                    }
                }
                if Int.random(in: 0..<4, using: &random) != 0 { new.append(line) }
            }
            // When the diff's hunks map each old line
            let map = try Self.map(old, new, in: repository)
            // Then every line lands where the oracle puts it, and deleted lines nowhere
            let expected = Self.oracle(old, new)
            for line in old.indices.map({ $0 + 1 }) {
                #expect(map.newLine(for: line) == expected[line], "line \(line) of \(old) → \(new)")
            }
            for added in new.indices.map({ $0 + 1 }) {
                #expect(map.isAdded(added) == !expected.values.contains(added))
            }
        }
    }

    @Test func mappedLinesFormAMaximalCommonSubsequenceWhenLinesRepeat() throws {
        let repo = try TestRepository()
        let repository = try Repository.discover(containing: repo.path)
        var random = SeededRandom(seed: 7)
        for _ in 0..<200 {
            // Given lines from a small alphabet (so many repeat), some deleted and some inserted
            let old = (0..<Int.random(in: 1...40, using: &random)).map { _ in "token \(Int.random(in: 0..<4, using: &random))" }
            var new: [String] = []
            for line in old {
                if Int.random(in: 0..<5, using: &random) == 0 { new.append("token \(Int.random(in: 0..<6, using: &random))") }
                if Int.random(in: 0..<4, using: &random) != 0 { new.append(line) }
            }
            let map = try Self.map(old, new, in: repository)
            // Then each mapped line has the same text, in order, and as many as the longest common subsequence
            let mapped = old.indices.compactMap { index in map.newLine(for: index + 1).map { (index, $0) } }
            #expect(mapped.allSatisfy { old[$0.0] == new[$0.1 - 1] })
            #expect(zip(mapped, mapped.dropFirst()).allSatisfy { $0.1 < $1.1 })
            #expect(mapped.count == Self.oracle(old, new).count)
        }
    }

    @Test func deletedLinesAreShownAtTheLineNowInTheirPlace() {
        // Lines 3–4 of 6 deleted; a line inserted after line 5.
        let map = LineMap(hunks: [
            .init(oldStart: 3, oldCount: 2, newStart: 2, newCount: 0), .init(oldStart: 5, oldCount: 0, newStart: 4, newCount: 1),
        ])
        #expect(map.newLine(for: 2) == 2)
        #expect(map.newLine(for: 3) == nil)
        #expect(map.newLine(for: 5) == 3)
        #expect(map.newLine(for: 6) == 5)
        #expect(map.nearestNewLine(for: 3, lineCount: 5) == 3)
        #expect(map.nearestNewLine(for: 4, lineCount: 5) == 3)
        #expect(map.isAdded(4))
        #expect(!map.isAdded(3))
    }

    @Test func aReplacedFirstLineIsShownAtItsReplacement() {
        let map = LineMap(hunks: [.init(oldStart: 1, oldCount: 1, newStart: 1, newCount: 2)])
        #expect(map.newLine(for: 1) == nil)
        #expect(map.newLine(for: 2) == 3)
        #expect(map.nearestNewLine(for: 1, lineCount: 3) == 1)
    }
}
