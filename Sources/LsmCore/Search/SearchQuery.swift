import Foundation

/// A search as the user wrote it, parsed by lsm (docs/search.md) and turned into FTS5 expressions in
/// which every word is quoted: the user's text never reaches FTS5's own query syntax.
public struct SearchQuery: Sendable, Equatable {
    /// Something to look for.
    public enum Term: Sendable, Equatable {
        /// A whole word; with `prefix`, any word starting with it.
        case word(String, prefix: Bool)
        /// Words in this order.
        case phrase(String)
        /// Any text containing this (an identifier, a path), at least 3 characters.
        case substring(String)
    }

    /// Terms to find: every group must match, any term of a group (`a OR b`).
    public var groups: [[Term]] = []
    /// Terms that must not match.
    public var excluded: [Term] = []
    /// `path:` values: substrings of a file path the message names.
    public var paths: [String] = []
    public var tools: [String] = []
    public var roles: [String] = []
    public var agents: [String] = []
    public var sessions: [String] = []

    static let roleNames = ["user", "assistant", "tool"]

    /// Parses `text`; throws a one-line user error for an empty or malformed query.
    public static func parse(_ text: String) throws(LsmError) -> SearchQuery {
        var query = SearchQuery()
        var tokens = try SearchQueryLexer.tokens(text)
        guard !tokens.isEmpty else {
            throw LsmError(.user, "empty search query", hint: "give words to look for, e.g. git lsm search \"jwt expiry\"")
        }
        var joinNext = false
        while !tokens.isEmpty {
            let token = tokens.removeFirst()
            switch token {
            case .operator(let name):
                let nextIsTerm = tokens.first.map { if case .operator = $0 { false } else { true } } ?? false
                if name == "OR", !query.groups.isEmpty, !joinNext, nextIsTerm, tokens.first?.isFilter == false,
                    tokens.first?.isNegated == false
                {
                    joinNext = true
                    continue
                }
                if name == "AND", !query.groups.isEmpty, nextIsTerm { continue }
                throw LsmError(
                    .user, "'\(name)' in a search query needs a word on each side",
                    hint: "words are all required by default; write a OR b for either, -word to exclude, or quote \"\(name)\" to find it")
            case .filter(let name, let value):
                try query.addFilter(name, value)
                joinNext = false
            case .term(let term, let negated):
                if negated {
                    query.excluded.append(term)
                } else if joinNext, !query.groups.isEmpty {
                    query.groups[query.groups.count - 1].append(term)
                } else {
                    query.groups.append([term])
                }
                joinNext = false
            }
        }
        if joinNext {
            throw LsmError(.user, "'OR' in a search query needs a word on each side", hint: "write a OR b")
        }
        guard !query.groups.isEmpty || !query.paths.isEmpty || !query.tools.isEmpty else {
            throw LsmError(
                .user, "the search query has nothing to look for",
                hint: "add a word, a phrase, path: or tool:; excluded words (-word) and role:, agent:, session: only narrow a search")
        }
        if !query.excluded.isEmpty, query.wordsExpression == nil, query.trigramsExpression == nil {
            throw LsmError(.user, "excluded words (-word) need a word to look for", hint: "add a word, a phrase or path:")
        }
        return query
    }

    private mutating func addFilter(_ name: String, _ value: String) throws(LsmError) {
        guard !value.isEmpty else {
            throw LsmError(.user, "'\(name):' in the search query has no value", hint: "write \(name):value, e.g. path:src/auth")
        }
        switch name {
        case "path":
            guard value.count >= 3 else {
                throw LsmError(.user, "path:\(value) is too short", hint: "path: matches parts of paths of 3 characters or more")
            }
            paths.append(value)
        case "tool": tools.append(value)
        case "role":
            let role = value.lowercased()
            guard Self.roleNames.contains(role) else {
                throw LsmError(.user, "unknown role '\(value)'", hint: "role: is one of user, assistant, tool")
            }
            roles.append(role)
        case "agent":
            guard let agent = AgentKind(rawValue: value.lowercased()) else {
                throw LsmError(
                    .user, "unknown agent '\(value)'",
                    hint: "agent: is one of " + AgentKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            agents.append(agent.rawValue)
        default: sessions.append(value)
        }
    }

    /// The expression for the word index, or `nil` when no term goes there.
    var wordsExpression: String? {
        let positive = groups.filter { !$0.contains(where: \.isSubstring) }
        guard !positive.isEmpty else { return nil }
        var expression = positive.map { group in
            let terms = group.map(\.ftsWords)
            return terms.count == 1 ? terms[0] : "(" + terms.joined(separator: " OR ") + ")"
        }.joined(separator: " AND ")
        for term in excluded where !term.isSubstring || !hasTrigramTerms { expression += " NOT " + term.ftsWords }
        return expression
    }

    /// The expression for the trigram index (substrings and `path:`), or `nil` when none.
    var trigramsExpression: String? { trigramsExpression(narrowing: [:]) }

    /// The expression for the trigram index, each `path:` value looked for by the part of it that
    /// `narrowing` maps it to, if any (the index search then checks the whole value itself).
    func trigramsExpression(narrowing: [String: String]) -> String? {
        let positive = groups.filter { $0.contains(where: \.isSubstring) }
        var parts = positive.map { group in
            let terms = group.map(\.ftsSubstring)
            return terms.count == 1 ? terms[0] : "(" + terms.joined(separator: " OR ") + ")"
        }
        parts += paths.map { "paths : " + SearchQuery.quoted(narrowing[$0] ?? $0) }
        guard !parts.isEmpty else { return nil }
        var expression = parts.joined(separator: " AND ")
        let wordsCarryExclusions = groups.contains { !$0.contains(where: \.isSubstring) }
        for term in excluded where term.isSubstring || !wordsCarryExclusions { expression += " NOT " + term.ftsSubstring }
        return expression
    }

    /// `tool:` values as phrases of the word index's `tool` column, so a tool's calls are found through
    /// the index rather than by reading every message; the exact comparison (any case) follows in SQL.
    /// `nil` without `tool:`, or when a name has no letter or digit (no word to look for).
    var toolsExpression: String? {
        guard !tools.isEmpty, tools.allSatisfy({ $0.contains { $0.isLetter || $0.isNumber } }) else { return nil }
        let terms = tools.map { "tool : " + SearchQuery.quoted($0) }
        return terms.count == 1 ? terms[0] : "(" + terms.joined(separator: " OR ") + ")"
    }

    /// What the word index is asked: the words and the tools.
    var indexedWordsExpression: String? {
        switch (wordsExpression, toolsExpression) {
        case (let words?, let tools?): "(" + words + ") AND " + tools
        case (let words, let tools): words ?? tools
        }
    }

    private var hasTrigramTerms: Bool { !paths.isEmpty || groups.contains { $0.contains(where: \.isSubstring) } }

    /// The query with its words (3 characters or more) looked for inside words, or `nil` when it has none.
    func asSubstrings() -> SearchQuery? {
        var changed = false
        var copy = self
        copy.groups = groups.map { group in
            group.map { term in
                guard case .word(let word, _) = term, word.count >= 3 else { return term }
                changed = true
                return .substring(word)
            }
        }
        return changed ? copy : nil
    }

    /// What to highlight in snippets.
    var highlightTerms: [String] {
        groups.flatMap { $0 }.map(\.text) + paths
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension SearchQuery.Term {
    var isSubstring: Bool {
        if case .substring = self { return true }
        return false
    }

    var text: String {
        switch self {
        case .word(let word, _): word
        case .phrase(let phrase): phrase
        case .substring(let text): text
        }
    }

    var ftsWords: String {
        switch self {
        case .word(let word, let prefix): SearchQuery.quoted(word) + (prefix ? "*" : "")
        case .phrase(let phrase): SearchQuery.quoted(phrase)
        case .substring(let text): SearchQuery.quoted(text)
        }
    }

    var ftsSubstring: String { SearchQuery.quoted(text) }
}
