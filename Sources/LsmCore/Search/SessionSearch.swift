import Foundation
import LsmStore

/// The use case behind `git lsm search`: memories first, then transcript messages ranked by
/// relevance (bm25) blended with recency, each with its session, repository, branch and commit.
public struct SessionSearch: Sendable {
    public struct Options: Sendable {
        public var query: String
        /// The repository (common dir) to search in, or `nil` for every session.
        public var repoCommonDir: String?
        public var agent: AgentKind?
        public var since: Date?
        public var role: String?
        public var limit: Int = 20

        public init(query: String, repoCommonDir: String?) {
            self.query = query
            self.repoCommonDir = repoCommonDir
        }
    }

    /// One message a search found (the `--json` shape; docs/json.md).
    public struct Hit: Sendable, Equatable, Encodable {
        /// `<session id>:<message>`, which `memory add --from` takes.
        public var ref: String
        public var session: String
        public var agent: String
        public var title: String?
        public var repository: String?
        public var branch: String?
        public var timestamp: Date?
        public var role: String
        public var kind: String
        public var tool: String?
        public var paths: [String]
        /// The commit `git lsm link` tied the session to, when there is one.
        public var commit: String?
        public var score: Double
        public var snippet: Snippet

        private enum Key: String, CodingKey {
            case ref, session, agent, title, repository, branch, timestamp, role, kind, tool, paths, commit, score, snippet
        }

        /// Every key is present; unknown values are `null`.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(ref, forKey: .ref)
            try container.encode(session, forKey: .session)
            try container.encode(agent, forKey: .agent)
            try container.encode(title, forKey: .title)
            try container.encode(repository, forKey: .repository)
            try container.encode(branch, forKey: .branch)
            try container.encode(timestamp, forKey: .timestamp)
            try container.encode(role, forKey: .role)
            try container.encode(kind, forKey: .kind)
            try container.encode(tool, forKey: .tool)
            try container.encode(paths, forKey: .paths)
            try container.encode(commit, forKey: .commit)
            try container.encode(score, forKey: .score)
            try container.encode(snippet, forKey: .snippet)
        }
    }

    /// What a search found.
    public struct Results: Sendable, Equatable, Encodable {
        public var query: String
        public var memories: [MemoryBook.Memory]
        public var hits: [Hit]
        /// What the full-text index read before answering.
        public var indexed: SearchIndexer.Report?
        /// Seconds the two queries took (after indexing): memories, and transcript messages.
        public var timings = Timings()

        public struct Timings: Sendable, Equatable, Encodable {
            public var memories = 0.0
            public var hits = 0.0
        }

        private enum Key: String, CodingKey { case query, memories, hits, indexed, timings }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(query, forKey: .query)
            try container.encode(memories, forKey: .memories)
            try container.encode(hits, forKey: .hits)
            try container.encode(indexed, forKey: .indexed)
            try container.encode(timings, forKey: .timings)
        }
    }

    public let index: IndexDatabase
    public let now: Date

    public init(index: IndexDatabase, now: Date) {
        self.index = index
        self.now = now
    }

    /// Runs `options`; `memoryScopes` are the scopes whose memories rank first (empty: none).
    public func run(_ options: Options, memoryScopes: [String]) throws(LsmError) -> Results {
        let query = try SearchQuery.parse(options.query)
        let results = try run(query, options, memoryScopes: memoryScopes)
        // A word found nowhere whole may be part of an identifier (ExpiryCheck in tokenExpiryCheck).
        if results.hits.isEmpty, let inside = query.asSubstrings() {
            var retried = try run(inside, options, memoryScopes: [])
            retried.memories = results.memories
            retried.timings.memories = results.timings.memories
            retried.timings.hits += results.timings.hits
            return retried
        }
        return results
    }

    private func run(_ query: SearchQuery, _ options: Options, memoryScopes: [String]) throws(LsmError) -> Results {
        let started = Date()
        var narrowing: [String: String] = [:]
        do {
            for value in query.paths { narrowing[value] = try PathNarrowing.part(of: value, in: index) }
        } catch {
            throw LsmError.wrapping(error)
        }
        var criteria = SearchCriteria(
            words: query.indexedWordsExpression, trigrams: query.trigramsExpression(narrowing: narrowing), now: now.timeIntervalSince1970,
            limit: options.limit)
        criteria.pathsContaining = Array(narrowing.keys).sorted()
        criteria.roles = query.roles + (options.role.map { [$0] } ?? [])
        criteria.tools = query.tools
        criteria.agents = query.agents + (options.agent.map { [$0.rawValue] } ?? [])
        criteria.sessionKeyPrefixes = query.sessions
        criteria.repoCommonDir = options.repoCommonDir
        criteria.since = options.since?.timeIntervalSince1970
        do {
            let records = try index.search(criteria)
            let commits = try index.strongestCommits(sessionKeys: Array(Set(records.map(\.document.sessionKey))))
            let terms = query.highlightTerms
            let hits = records.map { record in
                Hit(
                    ref: "\(record.sessionID):\(record.id)", session: record.sessionID, agent: record.agent, title: record.title,
                    repository: record.repoWorkDir, branch: record.branch,
                    timestamp: record.document.timestamp.map { Date(timeIntervalSince1970: $0) }, role: record.document.role,
                    kind: record.document.kind, tool: record.document.tool,
                    paths: record.document.paths.split(separator: "\n").map(String.init), commit: commits[record.document.sessionKey],
                    score: -record.score, snippet: Snippet(of: Self.searchable(record.document), terms: terms))
            }
            let searched = Date()
            var memories: [MemoryBook.Memory] = []
            if let words = MemoryBook.expression(for: query), !memoryScopes.isEmpty, query.roles.isEmpty, options.role == nil {
                memories = try index.searchMemories(match: words, scopes: memoryScopes, limit: 5).map {
                    MemoryBook.Memory($0, terms: terms)
                }
            }
            var results = Results(query: options.query, memories: memories, hits: hits, indexed: nil)
            results.timings = Results.Timings(
                memories: Date().timeIntervalSince(searched), hits: searched.timeIntervalSince(started))
            return results
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    /// The text a hit's snippet is cut from: the message, or for a tool call its name and paths.
    static func searchable(_ document: SearchDocument) -> String {
        var parts: [String] = []
        if document.kind == "tool", let tool = document.tool { parts.append(tool) }
        if !document.text.isEmpty { parts.append(document.text) }
        if !document.paths.isEmpty { parts.append(document.paths.replacingOccurrences(of: "\n", with: " ")) }
        return parts.joined(separator: " ")
    }
}
