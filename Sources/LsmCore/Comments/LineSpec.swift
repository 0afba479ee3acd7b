/// `path:line`, `path:line-end`, each line optionally followed by `:column`.
struct LineSpec: Equatable {
    var path: String
    var startLine: Int
    var endLine: Int
    var startColumn: Int?
    var endColumn: Int?

    static func parse(_ text: String) throws(LsmError) -> LineSpec {
        let invalid = LsmError(.user, "'\(text)' is not <path>:<line>[-<end>]", hint: "e.g. src/auth.py:125 or src/auth.py:125-130")
        // The range is after the last ':' that is followed only by digits, ':' and '-'.
        guard let colon = Self.rangeStart(in: text) else { throw invalid }
        let path = String(text[..<colon])
        let range = text[text.index(after: colon)...]
        let sides = range.split(separator: "-", omittingEmptySubsequences: false)
        guard !path.isEmpty, (1...2).contains(sides.count) else { throw invalid }
        func point(_ side: Substring) -> (line: Int, column: Int?)? {
            let parts = side.split(separator: ":", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), let line = Int(parts[0]), line >= 1 else { return nil }
            if parts.count == 2 {
                guard let column = Int(parts[1]), column >= 1 else { return nil }
                return (line, column)
            }
            return (line, nil)
        }
        guard let start = point(sides[0]) else { throw invalid }
        let end = sides.count == 2 ? point(sides[1]) : start
        guard let end else { throw invalid }
        guard end.line >= start.line else {
            throw LsmError(.user, "the range \(start.line)-\(end.line) ends before it starts", hint: "write the lower line first")
        }
        return LineSpec(
            path: path, startLine: start.line, endLine: end.line, startColumn: start.column, endColumn: sides.count == 2 ? end.column : nil)
    }

    /// The ':' that starts the line range: the first ':' after which only digits, ':' and '-' follow.
    private static func rangeStart(in text: String) -> String.Index? {
        var index = text.startIndex
        while let colon = text[index...].firstIndex(of: ":") {
            let rest = text[text.index(after: colon)...]
            if !rest.isEmpty, rest.first?.isNumber == true, rest.allSatisfy({ $0.isNumber || $0 == ":" || $0 == "-" }) { return colon }
            index = text.index(after: colon)
        }
        return nil
    }
}
