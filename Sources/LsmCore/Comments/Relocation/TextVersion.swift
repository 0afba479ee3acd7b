import Foundation

/// One version of a file as the matcher compares it: its lines, their normalized forms, their
/// tokens and an index of where each normalized line occurs — each computed once, when first asked
/// for, and shared by every anchor in the file.
final class TextVersion {
    let lines: [String]
    private var normalizedLines: [String]?
    private var tokenLines: [[String]?]
    private var lineIndex: [String: [Int]]?

    init(lines: [String]) {
        self.lines = lines
        self.tokenLines = Array(repeating: nil, count: lines.count)
    }

    convenience init(contents: Data) {
        self.init(lines: FileLines.split(contents))
    }

    var count: Int { lines.count }

    /// The lines with whitespace collapsed (`Anchor.normalized`).
    var normalized: [String] {
        if let normalizedLines { return normalizedLines }
        let computed = lines.map(Anchor.normalized)
        normalizedLines = computed
        return computed
    }

    /// The words (identifiers, numbers, keywords) of line `index` (0-based), punctuation dropped as
    /// LHDiff does.
    func tokens(_ index: Int) -> [String] {
        if let cached = tokenLines[index] { return cached }
        let computed = LineSimilarity.tokens(lines[index])
        tokenLines[index] = computed
        return computed
    }

    /// The tokens of up to `radius` non-blank lines before and after line `index` (0-based): LHDiff's
    /// context of a line.
    func contextTokens(around index: Int, radius: Int = 4) -> [String] {
        var result: [String] = []
        var taken = 0
        var line = index - 1
        while line >= 0, taken < radius {
            let words = tokens(line)
            if !words.isEmpty {
                result += words
                taken += 1
            }
            line -= 1
        }
        taken = 0
        line = index + 1
        while line < count, taken < radius {
            let words = tokens(line)
            if !words.isEmpty {
                result += words
                taken += 1
            }
            line += 1
        }
        return result
    }

    /// The 0-based positions of lines whose normalized form is `normalizedLine`.
    func positions(of normalizedLine: String) -> [Int] {
        if lineIndex == nil {
            var index: [String: [Int]] = [:]
            for (position, line) in normalized.enumerated() where !line.isEmpty { index[line, default: []].append(position) }
            lineIndex = index
        }
        return lineIndex?[normalizedLine] ?? []
    }

    /// Whether line `index` (0-based) says something: a letter or digit in it, not just a brace or
    /// a blank.
    func isInformative(_ index: Int) -> Bool {
        !tokens(index).isEmpty
    }
}
