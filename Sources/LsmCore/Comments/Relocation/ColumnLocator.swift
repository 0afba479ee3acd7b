/// Columns carried into an edited line the way CodeStream does it: the character at the column is
/// found again by the characters around it (three each side, fewer until found), taking the same
/// occurrence as in the old line.
enum ColumnLocator {
    static let reach = 3

    /// Column `column` (1-based, in characters) of `old` in `new`; `nil` when it cannot be found.
    static func column(_ column: Int, from old: String, to new: String) -> Int? {
        let oldCharacters = Array(old)
        let newCharacters = Array(new)
        guard column >= 1 else { return nil }
        // A column just past the end stays just past the end.
        if column > oldCharacters.count { return newCharacters.count + 1 }
        let position = column - 1
        for reach in stride(from: Self.reach, through: 0, by: -1) {
            let low = max(0, position - reach)
            let needle = Array(oldCharacters[low..<min(oldCharacters.count, position + reach + 1)])
            let occurrence = occurrences(of: needle, in: oldCharacters).firstIndex(of: low) ?? 0
            let found = occurrences(of: needle, in: newCharacters)
            if occurrence < found.count { return found[occurrence] + (position - low) + 1 }
        }
        return nil
    }

    private static func occurrences(of needle: [Character], in haystack: [Character]) -> [Int] {
        guard !needle.isEmpty, needle.count <= haystack.count else { return [] }
        return (0...(haystack.count - needle.count)).filter { start in
            haystack[start..<(start + needle.count)].elementsEqual(needle)
        }
    }
}
