/// Where a range of an old version's lines is in a new version, and how it fared.
struct RangeMatch: Equatable {
    /// `current`, `moved`, `changed` or `outdated` (a file's absence is the caller's business).
    var state: AnchorState
    /// 1-based, inclusive; for `outdated`, the nearest surviving line.
    var start: Int
    var end: Int
    /// Nothing of the range is left where it was: another file may hold it.
    var lost = false
}

/// Finds ranges of one file's old version in its new version (DESIGN.md, "Comment relocation"):
/// lines outside the diff's hunks are shifted; lines inside hunks are re-found among the lines the
/// hunk added by LHDiff's score (0.6 × content + 0.4 × context); a range that left its place
/// unchanged is looked for elsewhere, and taken there only when its context went with it; anything
/// else is `outdated` at the nearest surviving line. One locator serves every anchor on the same
/// pair of versions, caching what it computes per hunk.
final class RangeLocator {
    let old: TextVersion
    let new: TextVersion
    let map: LineMap
    private var alignments: [Int: [Int: Int]] = [:]

    /// LHDiff's weights and threshold; a line must also share `contentFloor` of its text, so an
    /// unrelated replacement with the same neighbours is not taken for an edit.
    static let contentWeight = 0.6
    static let contextWeight = 0.4
    static let acceptedScore = 0.5
    static let contentFloor = 0.4
    /// Hunks up to this many old × new lines are aligned whole (once); larger ones only in a window
    /// of `window` lines around the anchor, so one huge rewrite costs no more than a small one.
    static let wholeHunkCells = 4096
    static let window = 24

    init(old: TextVersion, new: TextVersion, map: LineMap) {
        self.old = old
        self.new = new
        self.map = map
    }

    func locate(start: Int, end: Int) -> RangeMatch {
        guard start >= 1, end >= start, end <= old.count else {
            let line = map.nearestNewLine(for: max(1, min(start, old.count)), lineCount: new.count)
            return RangeMatch(state: .outdated, start: line, end: line, lost: true)
        }
        let range = start...end
        var found: [Int: Int] = [:]
        for line in range {
            if let mapped = map.newLine(for: line) { found[line] = mapped }
        }
        let unchanged = found.count
        if unchanged == range.count, let first = found[start], let last = found[end] {
            // Untouched, or lines inserted inside the range.
            return RangeMatch(state: last - first == end - start ? .current : .changed, start: first, end: last)
        }
        for hunk in map.hunks(overlapping: range) {
            for (oldLine, newLine) in alignment(of: hunk, around: range) where range.contains(oldLine) { found[oldLine] = newLine }
        }
        let placed = range.compactMap { found[$0] }
        if placed.count == range.count, let first = placed.first, let last = placed.last, last - first == placed.count - 1,
            range.allSatisfy({ line in found[line].map { old.normalized[line - 1] == new.normalized[$0 - 1] } ?? false })
        {
            // Only whitespace changed: the same code (equal fingerprints).
            return RangeMatch(state: .current, start: first, end: last)
        }
        let expected = map.nearestNewLine(for: start, lineCount: new.count)
        if unchanged == 0, let moved = old.findBlock(start: start, end: end, in: new, isAdded: map.isAdded, expected: expected) {
            return RangeMatch(state: .moved, start: moved.start, end: moved.start + end - start)
        }
        if let first = placed.min(), let last = placed.max(), survives(range, found: found) {
            return RangeMatch(state: .changed, start: first, end: last)
        }
        if unchanged == 0, let moved = old.findEditedBlock(start: start, end: end, in: new, isAdded: map.isAdded) {
            return RangeMatch(state: .changed, start: moved, end: moved + end - start)
        }
        return RangeMatch(state: .outdated, start: expected, end: expected, lost: unchanged == 0)
    }

    /// The plain diff mapping: the range shifted when no hunk touched it, else `outdated`.
    func shift(start: Int, end: Int) -> RangeMatch {
        let mapped = (start...max(start, end)).map { map.newLine(for: $0) }
        if let first = mapped.first ?? nil, mapped.enumerated().allSatisfy({ $0.element == first + $0.offset }) {
            return RangeMatch(state: .current, start: first, end: first + mapped.count - 1)
        }
        let line = map.nearestNewLine(for: start, lineCount: new.count)
        return RangeMatch(state: .outdated, start: line, end: line)
    }

    /// Whether at least half of the range's informative lines (all lines, when none is) are still there.
    private func survives(_ range: ClosedRange<Int>, found: [Int: Int]) -> Bool {
        let informative = range.filter { old.isInformative($0 - 1) }
        let counted = informative.isEmpty ? Array(range) : informative
        let kept = counted.filter { found[$0] != nil }.count
        return kept > 0 && 2 * kept >= counted.count
    }

    /// Old line → new line for the lines of `hunk` LHDiff pairs up: a monotone alignment of removed
    /// with added lines maximizing the summed score, each pair scoring at least `acceptedScore`.
    private func alignment(of hunk: LineMap.Hunk, around range: ClosedRange<Int>) -> [Int: Int] {
        let removed = hunk.removed
        let added = hunk.added
        guard !added.isEmpty else { return [:] }
        if removed.count * added.count <= Self.wholeHunkCells {
            if let cached = alignments[hunk.oldStart] { return cached }
            let aligned = align(Array(removed), Array(added))
            alignments[hunk.oldStart] = aligned
            return aligned
        }
        let oldLow = max(removed.lowerBound, range.lowerBound - Self.window)
        let oldHigh = min(removed.upperBound - 1, range.upperBound + Self.window)
        let scale = Double(added.count) / Double(removed.count)
        let newLow = max(added.lowerBound, added.lowerBound + Int(Double(oldLow - removed.lowerBound) * scale) - Self.window)
        let newHigh = min(added.upperBound - 1, added.lowerBound + Int(Double(oldHigh - removed.lowerBound) * scale) + Self.window)
        guard oldLow <= oldHigh, newLow <= newHigh else { return [:] }
        return align(Array(oldLow...oldHigh), Array(newLow...newHigh))
    }

    /// Weighted longest common subsequence of old and new lines (1-based numbers) under LHDiff's score.
    private func align(_ oldLines: [Int], _ newLines: [Int]) -> [Int: Int] {
        let rows = oldLines.count
        let columns = newLines.count
        guard rows > 0, columns > 0 else { return [:] }
        let oldContext = oldLines.map { old.contextTokens(around: $0 - 1) }
        let newContext = newLines.map { new.contextTokens(around: $0 - 1) }
        var scores = [Double](repeating: -1, count: rows * columns)
        for i in 0..<rows {
            let oldText = old.normalized[oldLines[i] - 1]
            for j in 0..<columns {
                let newText = new.normalized[newLines[j] - 1]
                let content = LineSimilarity.content(
                    oldText, newText, oldWords: old.tokens(oldLines[i] - 1), newWords: new.tokens(newLines[j] - 1))
                guard content >= Self.contentFloor else { continue }
                let score = Self.contentWeight * content + Self.contextWeight * LineSimilarity.dice(oldContext[i], newContext[j])
                if score >= Self.acceptedScore { scores[i * columns + j] = score }
            }
        }
        // best[i][j]: the best total aligning the first i old lines with the first j new lines.
        let width = columns + 1
        var best = [Double](repeating: 0, count: (rows + 1) * width)
        for i in 1...rows {
            for j in 1...columns {
                var value = max(best[(i - 1) * width + j], best[i * width + j - 1])
                let score = scores[(i - 1) * columns + j - 1]
                if score >= 0 { value = max(value, best[(i - 1) * width + j - 1] + score) }
                best[i * width + j] = value
            }
        }
        var pairs: [Int: Int] = [:]
        var i = rows
        var j = columns
        while i > 0, j > 0 {
            let score = scores[(i - 1) * columns + j - 1]
            if score >= 0, best[i * width + j] == best[(i - 1) * width + j - 1] + score {
                pairs[oldLines[i - 1]] = newLines[j - 1]
                i -= 1
                j -= 1
            } else if best[i * width + j] == best[(i - 1) * width + j] {
                i -= 1
            } else {
                j -= 1
            }
        }
        return pairs
    }
}
