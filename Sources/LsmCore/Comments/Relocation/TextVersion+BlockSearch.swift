extension TextVersion {
    /// Context lines on each side that may follow a block to show it moved.
    static let contextReach = 3

    /// This version's block `start...end`, unchanged, in `version` (1-based start), at a place
    /// where at least one line is new (`isAdded`) — a copy that was there all along is another
    /// block — and where its context came along (`contextEvidence` at least 1); the one with the
    /// most evidence, then nearest `expected`. `nil` when there is none: code
    /// deleted here and written again elsewhere without its surroundings stays deleted.
    func findBlock(start: Int, end: Int, in version: TextVersion, isAdded: (Int) -> Bool, expected: Int) -> (start: Int, evidence: Double)?
    {
        let length = end - start + 1
        let wanted = normalized[(start - 1)..<end]
        guard let key = (0..<length).first(where: { isInformative(start - 1 + $0) }) else { return nil }
        var best: (evidence: Double, distance: Int, start: Int)?
        for position in version.positions(of: wanted[start - 1 + key]) {
            let candidate = position - key
            guard candidate >= 0, candidate + length <= version.count,
                (0..<length).allSatisfy({ version.normalized[candidate + $0] == wanted[start - 1 + $0] }),
                (0..<length).contains(where: { isAdded(candidate + $0 + 1) })
            else { continue }
            let evidence = contextEvidence(oldStart: start - 1, newStart: candidate, length: length, in: version)
            guard evidence >= 1 else { continue }
            let distance = abs(candidate + 1 - expected)
            if best.map({ evidence > $0.evidence || (evidence == $0.evidence && distance < $0.distance) }) ?? true {
                best = (evidence, distance, candidate + 1)
            }
        }
        return best.map { ($0.start, $0.evidence) }
    }

    /// This version's block `start...end`, moved and edited: a block of the same length in
    /// `version`, all of it new (`isAdded`), whose context on *both* sides came along (an
    /// informative line, found once, right before and right after it) and whose lines are each
    /// still similar to the old ones (`RangeLocator.contentFloor`). 1-based start; `nil` when
    /// there is none, so deleted code never turns up as edited somewhere else.
    func findEditedBlock(start: Int, end: Int, in version: TextVersion, isAdded: (Int) -> Bool) -> Int? {
        let length = end - start + 1
        // The nearest informative line before the block (0-based), and its unique place in `version`.
        guard let before = (max(0, start - 1 - Self.contextReach)..<(start - 1)).last(where: { isInformative($0) }),
            let after = (end..<min(count, end + Self.contextReach)).first(where: { isInformative($0) })
        else { return nil }
        let beforePositions = version.positions(of: normalized[before])
        let afterPositions = version.positions(of: normalized[after])
        guard beforePositions.count == 1, afterPositions.count == 1, occurrences(of: [normalized[before]]) == 1,
            occurrences(of: [normalized[after]]) == 1
        else { return nil }
        // The block sits at the same distance from both context lines as it did.
        let candidate = beforePositions[0] + (start - 1 - before)
        guard candidate >= 0, candidate + length <= version.count,
            afterPositions[0] - (candidate + length - 1) == after - (end - 1),
            (0..<length).allSatisfy({ isAdded(candidate + $0 + 1) })
        else { return nil }
        let similar = (0..<length).allSatisfy { offset in
            let oldIndex = start - 1 + offset
            let newIndex = candidate + offset
            return LineSimilarity.content(
                normalized[oldIndex], version.normalized[newIndex], oldWords: tokens(oldIndex), newWords: version.tokens(newIndex))
                >= RangeLocator.contentFloor
        }
        return similar ? candidate + 1 : nil
    }

    /// How surely the block's context came along to `version` (0-based starts). On each side, the
    /// run of lines (up to `contextReach`) equal at the same distance from the block is the
    /// evidence; it weighs 1 / the number of times the run occurs in this version or in
    /// `version`, whichever is more, and half that when no line of it has two words: a run found
    /// once, like `def parse(self):`, is proof; `else:`, `break` or `raise NotImplementedError`
    /// next to a copy is chance. Runs without an informative line weigh nothing.
    private func contextEvidence(oldStart: Int, newStart: Int, length: Int, in version: TextVersion) -> Double {
        var evidence = 0.0
        for direction in [-1, 1] {
            var run: [Int] = []
            for distance in 1...Self.contextReach {
                let oldLine = direction < 0 ? oldStart - distance : oldStart + length - 1 + distance
                let newLine = direction < 0 ? newStart - distance : newStart + length - 1 + distance
                guard oldLine >= 0, newLine >= 0, oldLine < count, newLine < version.count,
                    normalized[oldLine] == version.normalized[newLine]
                else { break }
                run.append(newLine)
            }
            guard let first = run.min(), run.contains(where: { version.isInformative($0) }) else { continue }
            let lines = Array(version.normalized[first..<(first + run.count)])
            let occurrences = max(occurrences(of: lines), version.occurrences(of: lines))
            let wordy = run.contains { version.tokens($0).count >= 2 }
            evidence += (wordy ? 1 : 0.5) / Double(max(1, occurrences))
        }
        return evidence
    }

    /// How many times `lines` (normalized, at least one non-blank) occur in a row in this version.
    func occurrences(of lines: [String]) -> Int {
        guard let key = lines.firstIndex(where: { !$0.isEmpty }) else { return 0 }
        return positions(of: lines[key]).filter { position in
            let start = position - key
            return start >= 0 && start + lines.count <= count && lines.indices.allSatisfy { normalized[start + $0] == lines[$0] }
        }.count
    }
}
