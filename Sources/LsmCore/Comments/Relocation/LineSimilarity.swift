/// The similarity measures of LHDiff (Asaduzzaman et al., ICSM 2013): normalized Levenshtein
/// similarity of two lines' text, and Dice similarity of two bags of words for their context.
enum LineSimilarity {
    /// Lines longer than this are compared on their first bytes only, which keeps a comparison
    /// O(256²) at worst.
    static let comparedBytes = 256

    /// 1 − edit distance / longer length, over the lines' UTF-8 bytes (after `Anchor.normalized`);
    /// 1 for equal lines, 0 for nothing in common.
    static func levenshtein(_ first: String, _ second: String) -> Double {
        if first == second { return 1 }
        let a = Array(first.utf8.prefix(comparedBytes))
        let b = Array(second.utf8.prefix(comparedBytes))
        let longer = max(a.count, b.count)
        guard longer > 0 else { return 1 }
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        var previous = Array(0...b.count)
        var current = Array(repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            let byte = a[i - 1]
            for j in 1...b.count {
                let substitution = previous[j - 1] + (byte == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return 1 - Double(previous[b.count]) / Double(longer)
    }

    /// Two lines' content similarity: the text's (`levenshtein`) or, when higher, the words'
    /// (`dice`) — so `try:` → `try:  # changed` counts as the small edit it is.
    static func content(_ first: String, _ second: String, oldWords: [String], newWords: [String]) -> Double {
        max(levenshtein(first, second), dice(oldWords, newWords))
    }

    /// 2 |A ∩ B| / (|A| + |B|) over bags of words; 1 when both are empty.
    static func dice(_ first: [String], _ second: [String]) -> Double {
        if first.isEmpty && second.isEmpty { return 1 }
        guard !first.isEmpty, !second.isEmpty else { return 0 }
        var counts: [String: Int] = [:]
        for word in first { counts[word, default: 0] += 1 }
        var shared = 0
        for word in second {
            if let count = counts[word], count > 0 {
                counts[word] = count - 1
                shared += 1
            }
        }
        return 2 * Double(shared) / Double(first.count + second.count)
    }

    /// The words of a line: runs of letters, digits and underscores.
    static func tokens(_ line: String) -> [String] {
        var words: [String] = []
        var word: [UInt8] = []
        for byte in line.utf8 {
            let isWordByte =
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte >= 0x80
            if isWordByte {
                word.append(byte)
            } else if !word.isEmpty {
                words.append(String(decoding: word, as: UTF8.self))
                word.removeAll(keepingCapacity: true)
            }
        }
        if !word.isEmpty { words.append(String(decoding: word, as: UTF8.self)) }
        return words
    }
}
