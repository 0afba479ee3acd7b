import LsmStore

/// Chooses, for a `path:` value, a rarer part to look for in the trigram index.
///
/// A path's trigrams are mostly common (`src`, `rc/`, `.ts`): FTS5 finds a phrase of them by
/// walking every common trigram's matches, 10 ms and more on a million messages, even when the
/// value names one rare folder. Its longest word of letters and digits is usually far rarer; when
/// the index holds few messages with it, those are found at once and checked for the whole value.
enum PathNarrowing {
    /// Messages with the part that are checked at most; a part with more is not worth it.
    static let limit = 5_000

    /// The part of `value` to look for instead, or `nil` to look for the value itself.
    static func part(of value: String, in index: IndexDatabase) throws(StoreError) -> String? {
        // The check is a LIKE, whose case folding is ASCII's only; the index folds all of Unicode.
        guard value.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        let words = value.split { !($0.isLetter || $0.isNumber) }.map(String.init).filter { $0.count >= 3 && $0 != value }
        guard let longest = words.max(by: { $0.count < $1.count }) else { return nil }
        let count = try index.trigramMatchCount("paths : " + SearchQuery.quoted(longest), upTo: limit)
        return count < limit ? longest : nil
    }
}
