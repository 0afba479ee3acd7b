import Foundation

/// Splits a search query into words, phrases, filters and operators.
enum SearchQueryLexer {
    enum Token: Equatable {
        case term(SearchQuery.Term, negated: Bool)
        case filter(String, String)
        /// `AND`, `OR` or `NOT` written in capitals, where no term follows that it applies to.
        case `operator`(String)

        var isFilter: Bool {
            if case .filter = self { return true }
            return false
        }

        var isNegated: Bool {
            if case .term(_, let negated) = self { return negated }
            return false
        }
    }

    static let filterNames: Set<String> = ["path", "tool", "role", "agent", "session"]

    static func tokens(_ text: String) throws(LsmError) -> [Token] {
        var tokens: [Token] = []
        var rest = Substring(text)
        var negateNext = false
        while true {
            rest = rest.drop { $0.isWhitespace }
            guard let first = rest.first else { break }
            var negated = negateNext
            negateNext = false
            if first == "-", rest.count > 1, let second = rest.dropFirst().first, !second.isWhitespace {
                negated = true
                rest = rest.dropFirst()
            }
            if rest.first == "\"" {
                let phrase = try readQuoted(&rest, query: text)
                tokens.append(.term(.phrase(phrase), negated: negated))
                continue
            }
            let word = rest.prefix { !$0.isWhitespace && $0 != "\"" }
            rest = rest.dropFirst(word.count)
            if let colon = word.firstIndex(of: ":"), filterNames.contains(word[..<colon].lowercased()) {
                let name = word[..<colon].lowercased()
                var value = String(word[word.index(after: colon)...])
                if value.isEmpty, rest.first == "\"" { value = try readQuoted(&rest, query: text) }
                tokens.append(.filter(name, value))
                continue
            }
            if !negated, word == "AND" || word == "OR" || word == "NOT" {
                if word == "NOT", let next = rest.drop(while: { $0.isWhitespace }).first, next != "-" {
                    let upcoming = rest.drop { $0.isWhitespace }.prefix { !$0.isWhitespace }
                    if upcoming != "AND", upcoming != "OR", upcoming != "NOT" {
                        negateNext = true
                        continue
                    }
                }
                tokens.append(.operator(String(word)))
                continue
            }
            tokens.append(.term(try term(String(word)), negated: negated))
        }
        return tokens
    }

    /// Reads a quoted string at the front of `rest` (a doubled quote inside stands for one).
    private static func readQuoted(_ rest: inout Substring, query: String) throws(LsmError) -> String {
        rest = rest.dropFirst()
        var value = ""
        while true {
            guard let quote = rest.firstIndex(of: "\"") else {
                throw LsmError(.user, "unbalanced quote in the search query: \(query)", hint: "close the phrase with a second \"")
            }
            value += rest[..<quote]
            rest = rest[rest.index(after: quote)...]
            if rest.first == "\"" {
                value += "\""
                rest = rest.dropFirst()
                continue
            }
            break
        }
        guard value.contains(where: { !$0.isWhitespace }) else {
            throw LsmError(.user, "empty phrase in the search query: \(query)", hint: "put words between the quotes")
        }
        return value
    }

    /// A bare word: `word`, `prefix*`, or with other characters (`auth.ts`, `jwt_expiry`) a substring.
    private static func term(_ word: String) throws(LsmError) -> SearchQuery.Term {
        var stem = Substring(word)
        var prefix = false
        while stem.last == "*" {
            stem = stem.dropLast()
            prefix = true
        }
        guard !stem.isEmpty else {
            throw LsmError(.user, "'\(word)' in the search query has no letters before the *", hint: "write a prefix such as auth*")
        }
        if stem.allSatisfy({ $0.isLetter || $0.isNumber }) { return .word(String(stem), prefix: prefix) }
        return stem.count >= 3 ? .substring(String(stem)) : .phrase(String(stem))
    }
}
