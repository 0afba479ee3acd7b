import LsmGit

/// Old line → new line for the lines a diff (without context lines) leaves unchanged: the shift
/// mapper of Gerrit, GitLab and IntelliJ. Lines inside a hunk have no new line; the matcher re-finds
/// them by content.
struct LineMap {
    /// One changed region: `oldCount` lines from `oldStart` became `newCount` lines from `newStart`.
    /// A pure insertion (`oldCount` 0) sits after old line `oldStart`; a pure deletion (`newCount`
    /// 0) after new line `newStart`.
    struct Hunk: Equatable {
        var oldStart: Int
        var oldCount: Int
        var newStart: Int
        var newCount: Int

        /// The first old line after the hunk; every old line from here on shifts by the hunk.
        var oldEnd: Int { oldCount == 0 ? oldStart + 1 : oldStart + oldCount }
        /// The new lines the hunk added, 1-based.
        var added: Range<Int> { newCount == 0 ? newStart + 1..<newStart + 1 : newStart..<newStart + newCount }
        /// The old lines the hunk removed, 1-based.
        var removed: Range<Int> { oldCount == 0 ? oldStart + 1..<oldStart + 1 : oldStart..<oldStart + oldCount }
    }

    /// The hunks, in order.
    let hunks: [Hunk]
    /// The shift of every old line after hunk `i` (cumulative `newCount − oldCount`).
    private let shifts: [Int]

    init(hunks: [Hunk]) {
        self.hunks = hunks
        var shift = 0
        shifts = hunks.map { hunk in
            shift += hunk.newCount - hunk.oldCount
            return shift
        }
    }

    init(_ diff: FileDiff) {
        self.init(
            hunks: diff.hunks.map { Hunk(oldStart: $0.oldStart, oldCount: $0.oldCount, newStart: $0.newStart, newCount: $0.newCount) })
    }

    /// The number of hunks that end at or before old line `old` (binary search).
    private func hunksBefore(old: Int) -> Int {
        var low = 0
        var high = hunks.count
        while low < high {
            let middle = (low + high) / 2
            if hunks[middle].oldEnd <= old { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Where an unchanged old line is now; `nil` when a hunk deleted or replaced it.
    func newLine(for old: Int) -> Int? {
        let before = hunksBefore(old: old)
        if before < hunks.count, hunks[before].removed.contains(old) { return nil }
        return old + (before == 0 ? 0 : shifts[before - 1])
    }

    /// The hunks whose removed lines meet `lines` (old side).
    func hunks(overlapping lines: ClosedRange<Int>) -> [Hunk] {
        let first = hunksBefore(old: lines.lowerBound)
        var last = first
        while last < hunks.count, hunks[last].removed.lowerBound <= lines.upperBound { last += 1 }
        return hunks[first..<last].filter { !$0.removed.isEmpty && lines.overlaps($0.removed) }
    }

    /// Whether new line `new` is one a hunk added (not an old line carried over).
    func isAdded(_ new: Int) -> Bool {
        var low = 0
        var high = hunks.count
        while low < high {
            let middle = (low + high) / 2
            let added = hunks[middle].added
            if added.contains(new) { return true }
            if added.upperBound <= new { low = middle + 1 } else { high = middle }
        }
        return false
    }

    /// The new line nearest to where `old` was, for a deleted line: the line now just after the
    /// nearest surviving line before it, else the line just before the nearest surviving line after
    /// it; within `1...lineCount`.
    func nearestNewLine(for old: Int, lineCount: Int) -> Int {
        let last = max(lineCount, 1)
        if let line = newLine(for: old) { return min(max(line, 1), last) }
        let before = hunksBefore(old: old)
        guard before < hunks.count else { return min(max(old, 1), last) }
        let hunk = hunks[before]
        // The surviving line before the hunk is at `newStart − 1` (`newStart` for a pure deletion).
        let previous = hunk.newCount == 0 ? hunk.newStart : hunk.newStart - 1
        return min(max(previous + 1, 1), last)
    }
}
