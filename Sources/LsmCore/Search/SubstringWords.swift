/// The words of a message's text that substring searches look inside (`jwt_expiry`, `auth.ts`,
/// `tokenExpiryCheck`, `3600000`): every word of 3 bytes or more but the plain ones, letters only
/// and lowercase after the first. A substring query holds no whitespace, so whenever it has another
/// character than a letter or a digit it can only occur inside such a word: indexing these words
/// instead of the whole text finds the same messages with a fraction of the trigrams.
enum SubstringWords {
    /// The words of `text` worth a trigram index, space-separated (empty when there is none).
    static func of(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            var kept: [UInt8] = []
            var start = 0
            var index = 0
            while index <= bytes.count {
                if index == bytes.count || isSpace(bytes[index]) {
                    if index - start >= 3, !isPlain(bytes[start..<index]) {
                        if !kept.isEmpty { kept.append(0x20) }
                        kept.append(contentsOf: bytes[start..<index])
                    }
                    start = index + 1
                }
                index += 1
            }
            return String(decoding: kept, as: UTF8.self)
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// A word of ASCII letters, lowercase but for the first: prose, which the word index finds.
    private static func isPlain(_ word: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard let first = word.first, isLetter(first) else { return false }
        return word.dropFirst().allSatisfy { $0 >= 0x61 && $0 <= 0x7A }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A
    }
}
