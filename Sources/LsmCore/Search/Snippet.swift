import Foundation

/// A short piece of a message around what a search matched, with the matches marked.
public struct Snippet: Sendable, Equatable, Encodable {
    /// The piece of text, blanks collapsed, `…` where it was cut.
    public var text: String
    /// Where the matches are in `text`, as character offsets and lengths.
    public var highlights: [Highlight]

    public struct Highlight: Sendable, Equatable, Encodable {
        public var offset: Int
        public var length: Int
    }

    /// The `width`-character window of `text` around the first match of any of `terms`
    /// (case- and accent-insensitive), or its start when none matches.
    public init(of text: String, terms: [String], width: Int = 160) {
        let flat = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        let options: String.CompareOptions = [.caseInsensitive, .diacriticInsensitive]
        let firstMatch = terms.compactMap { flat.range(of: $0, options: options) }.min { $0.lowerBound < $1.lowerBound }
        var start = flat.startIndex
        if let firstMatch {
            let lead = flat.distance(from: flat.startIndex, to: firstMatch.lowerBound)
            start = flat.index(flat.startIndex, offsetBy: max(0, lead - width / 4))
        }
        let end = flat.index(start, offsetBy: width, limitedBy: flat.endIndex) ?? flat.endIndex
        let window = String(flat[start..<end])
        let prefix = start > flat.startIndex ? "…" : ""
        let suffix = end < flat.endIndex ? "…" : ""
        var highlights: [Highlight] = []
        for term in terms where !term.isEmpty {
            var searchFrom = window.startIndex
            while let found = window.range(of: term, options: options, range: searchFrom..<window.endIndex) {
                let offset = prefix.count + window.distance(from: window.startIndex, to: found.lowerBound)
                highlights.append(Highlight(offset: offset, length: window.distance(from: found.lowerBound, to: found.upperBound)))
                searchFrom = found.upperBound
            }
        }
        // Overlapping matches of several terms become one.
        var merged: [Highlight] = []
        for highlight in highlights.sorted(by: { $0.offset < $1.offset }) {
            if let last = merged.last, highlight.offset <= last.offset + last.length {
                merged[merged.count - 1].length = max(last.length, highlight.offset + highlight.length - last.offset)
            } else {
                merged.append(highlight)
            }
        }
        self.text = prefix + window + suffix
        self.highlights = merged
    }

    /// The text with each match wrapped by `mark`.
    public func marked(_ mark: (String) -> String) -> String {
        var result = ""
        var characters = Array(text)
        var position = 0
        for highlight in highlights where highlight.offset >= position && highlight.offset + highlight.length <= characters.count {
            result += String(characters[position..<highlight.offset])
            result += mark(String(characters[highlight.offset..<highlight.offset + highlight.length]))
            position = highlight.offset + highlight.length
        }
        result += String(characters[position...])
        characters.removeAll()
        return result
    }
}
