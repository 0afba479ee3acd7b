import Foundation
import GRDB

extension IndexDatabase {
    /// The best hits of `criteria`: relevance (bm25) blended with recency, best first.
    ///
    /// Ranking every match of a common word would take a second on a million messages, so the
    /// matches that pass the filters are taken newest first (message ids grow with time) and at
    /// most `criteria.candidates` of them are ranked; a query matching fewer is ranked exactly.
    /// A search limited to some sessions (a repository's) asks FTS5 only for the id ranges those
    /// sessions' messages lie in (`searchSpan`), newest first, when they are a small part of the index.
    public func search(_ criteria: SearchCriteria) throws(StoreError) -> [SearchHitRecord] {
        try read { db in
            let filters = Self.filters(criteria)
            var ranges: [ScopeRange]?
            var rankData: DatabaseValue?
            // Words only: a substring is a phrase of a trigram per character, and each range would
            // seek every one of them (substrings are rare enough to scan all their matches).
            if let words = criteria.words, criteria.trigrams == nil, let sessions = filters.sessions,
                let scope = try Self.scopeRanges(db, sessions: sessions, expression: words)
            {
                guard !scope.ranges.isEmpty,
                    let data = try DatabaseValue.fetchOne(
                        db,
                        sql:
                            "SELECT \(SearchRank.dataName)(searchWords, \(Self.idRange)) FROM searchWords WHERE searchWords MATCH ? LIMIT 1",
                        arguments: [words])
                else { return [] }
                // Ranges pay when the scan would step through many matches to find the scope's.
                if case .blob(let blob) = data.storage, let matches = SearchRank.phraseMatches(in: [UInt8](blob)) {
                    let found = words.contains(" OR ") ? matches.reduce(0, +) : matches.min() ?? 0
                    let scanned = min(found, Double(criteria.candidates) / scope.share)
                    if scanned > Double(scope.ranges.count) * Self.matchesPerRange {
                        ranges = scope.ranges
                        rankData = data
                    }
                }
            }
            var arguments: StatementArguments = []
            var source: String
            if let ranges, let rankData {
                // Each range newest first, the ranges newest first: the compound's rows come in id order.
                var branches: [String] = []
                for range in ranges {
                    let (sql, values) = Self.candidates(criteria, filters, within: range, rankData: rankData)
                    branches.append("SELECT * FROM (\(sql))")
                    arguments += values
                }
                source = branches.joined(separator: " UNION ALL ") + " LIMIT ?"
                arguments += [criteria.candidates]
            } else {
                (source, arguments) = Self.candidates(criteria, filters, within: nil, rankData: nil)
            }
            // bm25 is negative (lower is better); the recency boost multiplies it by 1 to 1.5, so a
            // candidate less than 1/1.5 as relevant as the limit-th best cannot make it: only the
            // others' times are read (from searchFacts, where they share a few pages), and only the
            // winners' texts.
            let sql = """
                WITH hits AS (\(source)),
                bound AS (SELECT score / 1.5 AS score FROM hits ORDER BY score LIMIT 1 OFFSET ?),
                ranked AS (
                    SELECT t.id, hits.score * (1.0 + 0.5 / (1.0 + max(0.0, ? - coalesce(t.timestamp, 0.0)) / ?)) AS blended
                    FROM hits JOIN searchFacts t ON t.id = hits.id
                    WHERE hits.score <= coalesce((SELECT score FROM bound), 0.0)
                    ORDER BY blended, t.timestamp DESC, t.id LIMIT ?)
                SELECT d.id, ranked.blended, d.sessionKey, d.position, d.role, d.kind, d.timestamp, d.tool, d.paths, d.text,
                    s.agent, s.id, s.cwd, s.branch, s.repoWorkDir, s.repoCommonDir, s.title
                FROM ranked JOIN searchDoc d ON d.id = ranked.id JOIN session s ON s.key = d.sessionKey
                ORDER BY ranked.blended, d.timestamp DESC, d.id
                """
            arguments += [criteria.limit - 1]
            arguments += [criteria.now, criteria.recencyHalfLife, criteria.limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                SearchHitRecord(
                    id: row[0], score: row[1],
                    document: SearchDocument(
                        sessionKey: row[2], position: row[3], role: row[4], kind: row[5], timestamp: row[6], tool: row[7], paths: row[8],
                        text: row[9]),
                    agent: row[10], sessionID: row[11], cwd: row[12], branch: row[13], repoWorkDir: row[14], repoCommonDir: row[15],
                    title: row[16])
            }
        }
    }

    /// The first and last message ids, for `lsm_rank`'s estimates.
    static let idRange = "(SELECT min(id) FROM searchDoc), (SELECT max(id) FROM searchDoc)"

    /// The query of `criteria`'s newest matches with their bm25 score (`id`, `score`), within `range`
    /// of ids if given (then ranked with `rankData`, what `lsm_rank_data` counted for the query).
    private static func candidates(
        _ criteria: SearchCriteria, _ filters: Filters, within range: ScopeRange?, rankData: DatabaseValue?
    ) -> (sql: String, arguments: StatementArguments) {
        var arguments: StatementArguments = []
        let table: String
        var source: String
        var conditions: [String] = []
        // With a range (word searches only), lsm_rank is given the counts made once for all ranges.
        let rankArguments = rankData.map { _ in "?, 0" } ?? Self.idRange
        if let words = criteria.words {
            table = "searchWords"
            source =
                "SELECT searchWords.rowid AS id, \(SearchRank.name)(searchWords, \(rankArguments), 1.0, 2.0, 2.0) AS score FROM searchWords"
            if let rankData { arguments += [rankData] }
            conditions.append("searchWords MATCH ?")
            arguments += [words]
            if let trigrams = criteria.trigrams {
                conditions.append(
                    "searchWords.rowid IN (SELECT rowid FROM searchTrigrams WHERE searchTrigrams MATCH ?)")
                arguments += [trigrams]
            }
        } else if let trigrams = criteria.trigrams {
            table = "searchTrigrams"
            source = "SELECT searchTrigrams.rowid AS id, \(SearchRank.name)(searchTrigrams, \(Self.idRange)) AS score FROM searchTrigrams"
            conditions.append("searchTrigrams MATCH ?")
            arguments += [trigrams]
        } else {
            table = "d"
            source = "SELECT d.id AS id, -1.0 AS score FROM searchDoc d"
        }
        let id = table == "d" ? "d.id" : table + ".rowid"
        // The range's bounds are the index's own integers, written into the SQL.
        if let range { conditions.append("\(id) BETWEEN \(range.ids.lowerBound) AND \(range.ids.upperBound)") }
        conditions += filters.clauses
        arguments += filters.arguments
        var needsFacts = criteria.since != nil
        // A range of one span, or of spans next to each other, holds only the sessions' messages.
        if let range {
            if !range.isExact {
                conditions.append("t.session IN (\(range.sessions.map(String.init).joined(separator: ", ")))")
                needsFacts = true
            }
        } else if let sessions = filters.sessions {
            conditions.append("t.session IN (\(sessions.sql))")
            arguments += sessions.arguments
            needsFacts = true
        }
        // The narrow facts first: a match of another session is dropped before its message's page is
        // read for a role, tool or path test (CROSS JOIN keeps that order).
        if needsFacts, table != "d" { source += " JOIN searchFacts t ON t.id = \(id)" }
        if filters.needsDocument, table != "d" { source += " CROSS JOIN searchDoc d ON d.id = \(id)" }
        if needsFacts, table == "d" { source += " JOIN searchFacts t ON t.id = \(id)" }
        if !conditions.isEmpty { source += " WHERE " + conditions.joined(separator: " AND ") }
        source += " ORDER BY \(id) DESC LIMIT ?"
        arguments += [criteria.candidates]
        return (source, arguments)
    }

    /// SQL conditions for a search's filters on a message (`d`) and its time (`t`), and their values.
    struct Filters {
        var clauses: [String]
        var arguments: StatementArguments
        var needsDocument: Bool
        /// The query of the session numbers the search is limited to, if it is.
        var sessions: (sql: String, arguments: StatementArguments)?
    }

    /// The SQL of `criteria`'s filters on a message (`d`, or its facts `t`) and its session, with their
    /// values. Session filters pick the sessions first and test each match's session number in the
    /// narrow `searchFacts`: a repository's few sessions are looked for among many matches.
    private static func filters(_ criteria: SearchCriteria) -> Filters {
        var clauses: [String] = []
        var arguments: StatementArguments = []
        if !criteria.roles.isEmpty {
            clauses.append("d.role IN (\(Self.placeholders(criteria.roles.count)))")
            arguments += StatementArguments(criteria.roles)
        }
        if !criteria.tools.isEmpty {
            clauses.append("lower(d.tool) IN (\(Self.placeholders(criteria.tools.count)))")
            arguments += StatementArguments(criteria.tools.map { $0.lowercased() })
        }
        for text in criteria.pathsContaining {
            clauses.append("d.paths LIKE ? ESCAPE '\\'")
            arguments += ["%" + Self.escapedForLike(text) + "%"]
        }
        let documentClauses = clauses.count
        if let since = criteria.since {
            clauses.append("t.timestamp >= ?")
            arguments += [since]
        }
        var sessionClauses: [String] = []
        var sessionArguments: StatementArguments = []
        if let common = criteria.repoCommonDir {
            sessionClauses.append("s.repoCommonDir = ?")
            sessionArguments += [common]
        }
        if !criteria.agents.isEmpty {
            sessionClauses.append("s.agent IN (\(Self.placeholders(criteria.agents.count)))")
            sessionArguments += StatementArguments(criteria.agents)
        }
        if !criteria.sessionKeyPrefixes.isEmpty {
            let any = criteria.sessionKeyPrefixes.map { _ in "(substr(s.id, 1, length(?)) = ? OR substr(s.key, 1, length(?)) = ?)" }
            sessionClauses.append("(" + any.joined(separator: " OR ") + ")")
            for prefix in criteria.sessionKeyPrefixes { sessionArguments += [prefix, prefix, prefix, prefix] }
        }
        var sessions: (sql: String, arguments: StatementArguments)?
        if !sessionClauses.isEmpty {
            let query =
                "SELECT ss.id FROM searchSession ss JOIN session s ON s.key = ss.key WHERE " + sessionClauses.joined(separator: " AND ")
            sessions = (query, sessionArguments)
        }
        return Filters(clauses: clauses, arguments: arguments, needsDocument: documentClauses > 0, sessions: sessions)
    }

    /// One searchable message by id, with its session's facts (`memory add --from`).
    public func searchDocument(id: Int64) throws(StoreError) -> SearchHitRecord? {
        try read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT d.id, d.sessionKey, d.position, d.role, d.kind, d.timestamp, d.tool, d.paths, d.text,
                        s.agent, s.id, s.cwd, s.branch, s.repoWorkDir, s.repoCommonDir, s.title
                    FROM searchDoc d JOIN session s ON s.key = d.sessionKey WHERE d.id = ?
                    """, arguments: [id]
            ).map { row in
                SearchHitRecord(
                    id: row[0], score: 0,
                    document: SearchDocument(
                        sessionKey: row[1], position: row[2], role: row[3], kind: row[4], timestamp: row[5], tool: row[6], paths: row[7],
                        text: row[8]),
                    agent: row[9], sessionID: row[10], cwd: row[11], branch: row[12], repoWorkDir: row[13], repoCommonDir: row[14],
                    title: row[15])
            }
        }
    }

    /// The strongest commit link of each of `sessionKeys` (full commit ids).
    public func strongestCommits(sessionKeys: [String]) throws(StoreError) -> [String: String] {
        guard !sessionKeys.isEmpty else { return [:] }
        return try read { db in
            var commits: [String: String] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT sessionKey, commitId FROM commitLink WHERE sessionKey IN (\(Self.placeholders(sessionKeys.count)))
                    ORDER BY sessionKey, confidence DESC, linkedAt DESC
                    """, arguments: StatementArguments(sessionKeys))
            for row in rows {
                let key: String = row[0]
                if commits[key] == nil { commits[key] = row[1] }
            }
            return commits
        }
    }

    /// How many messages the trigram index matches for `expression`, counted up to `limit`: cheap
    /// for a rare text, and bounded for a common one.
    public func trigramMatchCount(_ expression: String, upTo limit: Int) throws(StoreError) -> Int {
        try read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM (SELECT rowid FROM searchTrigrams WHERE searchTrigrams MATCH ? LIMIT ?)",
                arguments: [expression, limit]) ?? 0
        }
    }

    /// `text` with LIKE's wildcards (and the escape character) escaped by a backslash.
    static func escapedForLike(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}
