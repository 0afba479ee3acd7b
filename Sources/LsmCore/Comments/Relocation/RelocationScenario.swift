/// The kinds of edit the relocation benchmark applies to a file with an anchored range, each with
/// a known right answer.
public enum RelocationEdit: String, Codable, Sendable, CaseIterable {
    case linesInsertedAbove
    case linesDeletedAbove
    case editedElsewhere
    case fileRenamed
    case copyInsertedElsewhere
    case blockMoved
    case editedInPlace
    case linesDeleted
    case deletedWithCopyElsewhere

    /// The bar the edit counts towards.
    public enum Group: String, Codable, Sendable, CaseIterable {
        /// The anchored lines are there unchanged (shifted, renamed, copied elsewhere): right place, current or moved.
        case unchanged
        /// The block around the anchored lines moved: right place, moved (or current).
        case moved
        /// The anchored lines were edited: `changed` at the right place.
        case edited
        /// The anchored lines were deleted: `outdated` (or `orphaned`).
        case deleted
    }

    public var group: Group {
        switch self {
        case .linesInsertedAbove, .linesDeletedAbove, .editedElsewhere, .fileRenamed, .copyInsertedElsewhere: .unchanged
        case .blockMoved: .moved
        case .editedInPlace: .edited
        case .linesDeleted, .deletedWithCopyElsewhere: .deleted
        }
    }
}

/// One benchmark case: a file, an anchored range on it, the file after the edit and where the
/// anchored code is then (1-based, inclusive; for deletions, the line now where they were).
struct RelocationScenario {
    var edit: RelocationEdit
    var original: [String]
    var edited: [String]
    var renamed: Bool
    var start: Int
    var end: Int
    var expectedStart: Int
    var expectedEnd: Int

    /// Lines the anchored range keeps away from so that moves and copies are unmistakable.
    static let farAway = 20

    /// A case of `edit` on `lines`, with `donor` lines (from another file) to insert; `nil` when this
    /// file offers no unambiguous place for it.
    static func make(_ edit: RelocationEdit, lines: [String], donor: [String], using random: inout SeededRandom) -> RelocationScenario? {
        let count = lines.count
        guard count >= 2 * farAway + 10, let (start, end) = anchoredRange(in: lines, using: &random) else { return nil }
        let s0 = start - 1
        let length = end - start + 1
        func scenario(_ edited: [String], _ newStart: Int, renamed: Bool = false) -> RelocationScenario {
            RelocationScenario(
                edit: edit, original: lines, edited: edited, renamed: renamed, start: start, end: end, expectedStart: newStart,
                expectedEnd: newStart + length - 1)
        }
        func donorBlock() -> [String] {
            let size = Int.random(in: 1...min(8, donor.count), using: &random)
            let from = Int.random(in: 0...(donor.count - size), using: &random)
            return Array(donor[from..<(from + size)])
        }
        switch edit {
        case .linesInsertedAbove, .fileRenamed:
            let block = donorBlock()
            let position = Int.random(in: 0...s0, using: &random)
            if edit == .fileRenamed && Bool.random(using: &random) { return scenario(lines, start, renamed: true) }
            guard canInsert(block, at: position, into: lines) else { return nil }
            return scenario(inserting(block, at: position, into: lines), start + block.count, renamed: edit == .fileRenamed)
        case .linesDeletedAbove:
            guard s0 >= 2 else { return nil }
            let size = Int.random(in: 1...min(8, s0), using: &random)
            let from = Int.random(in: 0...(s0 - size), using: &random)
            guard canDelete(from..<(from + size), from: lines) else { return nil }
            return scenario(deleting(from..<(from + size), from: lines), start - size)
        case .editedElsewhere:
            var edited = lines
            var shift = 0
            // Below first, then above, so indices above stay valid.
            if end + 6 < count - 2 {
                let from = Int.random(in: (end + 4)...(count - 2), using: &random)
                edited = replacing(from..<min(count, from + Int.random(in: 1...3, using: &random)), with: donorBlock(), in: edited)
            }
            if s0 >= 8 {
                let from = Int.random(in: 0...(s0 - 6), using: &random)
                let size = Int.random(in: 1...min(3, s0 - 4 - from), using: &random)
                let block = donorBlock()
                edited = replacing(from..<(from + size), with: block, in: edited)
                shift = block.count - size
            }
            guard edited != lines else { return nil }
            return scenario(edited, start + shift)
        case .copyInsertedElsewhere:
            let copy = Array(lines[s0..<(end)])
            let position = Int.random(in: 0...count, using: &random)
            guard abs(position - s0) >= farAway, abs(position - end) >= farAway, canInsert(copy, at: position, into: lines) else {
                return nil
            }
            return scenario(inserting(copy, at: position, into: lines), position <= s0 ? start + length : start)
        case .blockMoved:
            let blockStart = max(0, s0 - Int.random(in: 1...6, using: &random))
            let blockEnd = min(count, end + Int.random(in: 1...6, using: &random))
            guard canDelete(blockStart..<blockEnd, from: lines) else { return nil }
            let block = Array(lines[blockStart..<blockEnd])
            let rest = deleting(blockStart..<blockEnd, from: lines)
            let position = Int.random(in: 0...rest.count, using: &random)
            guard abs(position - blockStart) >= max(farAway, block.count + 10), canInsert(block, at: position, into: rest) else {
                return nil
            }
            return scenario(inserting(block, at: position, into: rest), position + (s0 - blockStart) + 1)
        case .editedInPlace:
            let candidates = (s0..<end).filter { !LineSimilarity.tokens(lines[$0]).isEmpty }
            guard let line = candidates.randomElement(using: &random), let changed = mutate(lines[line], using: &random),
                Anchor.normalized(changed) != Anchor.normalized(lines[line])
            else { return nil }
            var edited = lines
            edited[line] = changed
            return scenario(edited, start)
        case .linesDeleted:
            guard canDelete(s0..<end, from: lines) else { return nil }
            return scenario(deleting(s0..<end, from: lines), min(start, count - length))
        case .deletedWithCopyElsewhere:
            guard canDelete(s0..<end, from: lines) else { return nil }
            let copy = Array(lines[s0..<end])
            let rest = deleting(s0..<end, from: lines)
            let position = Int.random(in: 0...rest.count, using: &random)
            guard abs(position - s0) >= farAway, canInsert(copy, at: position, into: rest) else { return nil }
            return scenario(inserting(copy, at: position, into: rest), position < s0 ? start + length : start)
        }
    }

    /// A range of 1 line (half the time) or 2–5 lines starting on an informative line, clear of the
    /// file's first and last lines.
    static func anchoredRange(in lines: [String], using random: inout SeededRandom) -> (Int, Int)? {
        for _ in 0..<20 {
            let length = Bool.random(using: &random) ? 1 : Int.random(in: 2...5, using: &random)
            let start = Int.random(in: 4...(lines.count - length - 3), using: &random)
            if !LineSimilarity.tokens(lines[start - 1]).isEmpty { return (start, start + length - 1) }
        }
        return nil
    }

    /// A small edit of a line, as people make them: an identifier renamed, a number changed, an
    /// argument added or a comment appended.
    static func mutate(_ line: String, using random: inout SeededRandom) -> String? {
        var options: [(String) -> String?] = [
            { line in
                let words = LineSimilarity.tokens(line).filter { $0.count >= 3 && !($0.first?.isNumber ?? true) }
                guard let word = words.first else { return nil }
                return line.replacingFirst(word, with: "new_" + word)
            },
            { $0 + "  # changed" },
        ]
        if line.contains(where: \.isNumber) {
            options.append { line in
                guard let digit = line.firstIndex(where: \.isNumber) else { return nil }
                var changed = line
                changed.replaceSubrange(digit...digit, with: line[digit] == "7" ? "8" : "7")
                return changed
            }
        }
        if line.contains("(") { options.append { $0.replacingFirst("(", with: "(extra, ") } }
        return options.randomElement(using: &random).flatMap { $0(line) }
    }

    /// Whether inserting `block` before index `position` reads the same to any diff: its first line
    /// is not the line after it, and its last not the line before, so it cannot slide.
    static func canInsert(_ block: [String], at position: Int, into lines: [String]) -> Bool {
        guard let first = block.first, let last = block.last else { return false }
        return !(position < lines.count && lines[position] == first) && !(position > 0 && lines[position - 1] == last)
    }

    /// Whether deleting `range` cannot be read by a diff as deleting neighbouring lines instead.
    static func canDelete(_ range: Range<Int>, from lines: [String]) -> Bool {
        guard !range.isEmpty, range.upperBound <= lines.count else { return false }
        return !(range.upperBound < lines.count && lines[range.lowerBound] == lines[range.upperBound])
            && !(range.lowerBound > 0 && lines[range.upperBound - 1] == lines[range.lowerBound - 1])
    }

    static func inserting(_ block: [String], at position: Int, into lines: [String]) -> [String] {
        Array(lines[..<position]) + block + Array(lines[position...])
    }

    static func deleting(_ range: Range<Int>, from lines: [String]) -> [String] {
        Array(lines[..<range.lowerBound]) + Array(lines[range.upperBound...])
    }

    static func replacing(_ range: Range<Int>, with block: [String], in lines: [String]) -> [String] {
        Array(lines[..<range.lowerBound]) + block + Array(lines[range.upperBound...])
    }
}

/// SplitMix64: a seeded generator, so that a benchmark run can be repeated exactly.
public struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

extension String {
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String? {
        guard let range = range(of: target) else { return nil }
        return replacingCharacters(in: range, with: replacement)
    }
}
