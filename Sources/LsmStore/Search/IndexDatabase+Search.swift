import Foundation
import GRDB

extension IndexDatabase {
    /// The transcript files the session index knows, as it last saw them on disk (identity, size and
    /// time), for the search pass to read: the session index has just looked at every file, so the
    /// search pass compares against what it saw rather than asking the file system a second time.
    public func indexedTranscripts() throws(StoreError) -> [IndexedTranscript] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT path, agent, device, inode, size, modified FROM transcript WHERE error IS NULL ORDER BY path
                    """
            ).map { row in
                IndexedTranscript(path: row[0], agent: row[1], device: row[2], inode: row[3], size: row[4], modified: row[5])
            }
        }
    }

    /// What the search pass remembers of every file it read, by path.
    public func searchFileStates() throws(StoreError) -> [String: SearchFileState] {
        try read { db in
            var states: [String: SearchFileState] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT path, device, inode, size, modified, searchOffset, sessionId FROM searchFile")
            while let row = try rows.next() {
                let state = SearchFileState(
                    path: row[0], device: row[1], inode: row[2], size: row[3], modified: row[4], offset: row[5], sessionID: row[6])
                states[state.path] = state
            }
            return states
        }
    }

    /// Writes the search pass's updates of several files in one transaction; each file's documents
    /// and its new offset go together, so a killed pass re-reads exactly what it did not commit.
    public func applySearch(_ updates: [SearchFileUpdate]) throws(StoreError) {
        guard !updates.isEmpty else { return }
        try write { db in
            let documents = try PreparedInsert(
                db,
                sql: """
                    INSERT INTO searchDoc (fileId, sessionKey, position, role, kind, timestamp, tool, paths, text, identifiers)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let words = try PreparedInsert(db, sql: "INSERT INTO searchWords (rowid, text, tool, paths) VALUES (?, ?, ?, ?)")
            let trigrams = try PreparedInsert(db, sql: "INSERT INTO searchTrigrams (rowid, identifiers, paths) VALUES (?, ?, ?)")
            let facts = try PreparedInsert(db, sql: "INSERT INTO searchFacts (id, timestamp, session) VALUES (?, ?, ?)")
            var sessions: [String: Int64] = [:]
            for update in updates {
                let state = update.state
                try db.execute(
                    sql: """
                        INSERT INTO searchFile (path, device, inode, size, modified, searchOffset, sessionId, messages)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (path) DO UPDATE SET device = excluded.device, inode = excluded.inode, size = excluded.size,
                            modified = excluded.modified, searchOffset = excluded.searchOffset, sessionId = excluded.sessionId,
                            messages = CASE WHEN ? THEN excluded.messages ELSE messages + excluded.messages END
                        """,
                    arguments: [
                        state.path, state.device, state.inode, state.size, state.modified, state.offset, state.sessionID,
                        update.documents.count, update.startsOver,
                    ])
                guard let file = try Int64.fetchOne(db, sql: "SELECT id FROM searchFile WHERE path = ?", arguments: [state.path]) else {
                    continue
                }
                if update.startsOver { try Self.dropSearchDocuments(db, file: file) }
                for document in update.documents {
                    documents.bind(1, file)
                    documents.bind(2, document.sessionKey)
                    documents.bind(3, document.position)
                    documents.bind(4, document.role)
                    documents.bind(5, document.kind)
                    documents.bind(6, document.timestamp)
                    documents.bind(7, document.tool)
                    documents.bind(8, document.paths)
                    documents.bind(9, document.text)
                    documents.bind(10, document.identifiers)
                    try documents.run()
                    let id = db.lastInsertedRowID
                    let session = try sessions[document.sessionKey] ?? Self.searchSession(db, key: document.sessionKey)
                    sessions[document.sessionKey] = session
                    facts.bind(1, id)
                    facts.bind(2, document.timestamp)
                    facts.bind(3, session)
                    try facts.run()
                    words.bind(1, id)
                    words.bind(2, document.text)
                    words.bind(3, document.tool)
                    words.bind(4, document.paths)
                    try words.run()
                    // Most messages name no identifier and no file: nothing for the trigram index.
                    guard !document.identifiers.isEmpty || !document.paths.isEmpty else { continue }
                    trigrams.bind(1, id)
                    trigrams.bind(2, document.identifiers)
                    trigrams.bind(3, document.paths)
                    try trigrams.run()
                }
            }
        }
    }

    /// The number of the session `key` in the full-text index, given on first sight.
    private static func searchSession(_ db: Database, key: String) throws -> Int64 {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM searchSession WHERE key = ?", arguments: [key]) { return id }
        try db.execute(sql: "INSERT INTO searchSession (key) VALUES (?)", arguments: [key])
        return db.lastInsertedRowID
    }

    /// Forgets files the session index no longer has, with their documents.
    public func dropSearchFiles(_ paths: [String]) throws(StoreError) {
        guard !paths.isEmpty else { return }
        try write { db in
            for path in paths {
                guard let file = try Int64.fetchOne(db, sql: "SELECT id FROM searchFile WHERE path = ?", arguments: [path]) else {
                    continue
                }
                try Self.dropSearchDocuments(db, file: file)
                try db.execute(sql: "DELETE FROM searchFile WHERE id = ?", arguments: [file])
            }
        }
    }

    /// Forgets the whole full-text index of transcripts (memories stay), for a rebuild.
    public func removeSearchIndex() throws(StoreError) {
        try write { db in try Self.clearSearch(db) }
    }

    static func clearSearch(_ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO searchWords(searchWords) VALUES ('delete-all');
                INSERT INTO searchTrigrams(searchTrigrams) VALUES ('delete-all');
                DELETE FROM searchFacts; DELETE FROM searchSession; DELETE FROM searchDoc; DELETE FROM searchFile;
                """)
    }

    /// External-content FTS tables are told what they indexed, so the old values go out with the row.
    private static func dropSearchDocuments(_ db: Database, file: Int64) throws {
        try db.execute(
            sql: """
                INSERT INTO searchWords(searchWords, rowid, text, tool, paths)
                SELECT 'delete', id, text, tool, paths FROM searchDoc WHERE fileId = ?
                """, arguments: [file])
        try db.execute(
            sql: """
                INSERT INTO searchTrigrams(searchTrigrams, rowid, identifiers, paths)
                SELECT 'delete', id, identifiers, paths FROM searchDoc WHERE fileId = ? AND (identifiers <> '' OR paths <> '')
                """, arguments: [file])
        try db.execute(sql: "DELETE FROM searchFacts WHERE id IN (SELECT id FROM searchDoc WHERE fileId = ?)", arguments: [file])
        try db.execute(sql: "DELETE FROM searchDoc WHERE fileId = ?", arguments: [file])
    }

    /// Messages in the full-text index (kept per file, so counting them reads no message).
    public func searchDocumentCount() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT coalesce(sum(messages), 0) FROM searchFile") ?? 0 }
    }

    /// The best hits of `criteria`: relevance (bm25) blended with recency, best first.
    ///
    /// Ranking every match of a common word would take a second on a million messages, so the
    /// matches that pass the filters are taken newest first (message ids grow with time) and at
    /// most `criteria.candidates` of them are ranked; a query matching fewer is ranked exactly.
    public func search(_ criteria: SearchCriteria) throws(StoreError) -> [SearchHitRecord] {
        try read { db in
            var arguments: StatementArguments = []
            let table: String
            var source: String
            var conditions: [String] = []
            if let words = criteria.words {
                table = "searchWords"
                source =
                    "SELECT searchWords.rowid AS id, \(SearchRank.name)(searchWords, \(Self.idRange), 1.0, 2.0, 2.0) AS score FROM searchWords"
                conditions.append("searchWords MATCH ?")
                arguments += [words]
                if let trigrams = criteria.trigrams {
                    conditions.append("searchWords.rowid IN (SELECT rowid FROM searchTrigrams WHERE searchTrigrams MATCH ?)")
                    arguments += [trigrams]
                }
            } else if let trigrams = criteria.trigrams {
                table = "searchTrigrams"
                source =
                    "SELECT searchTrigrams.rowid AS id, \(SearchRank.name)(searchTrigrams, \(Self.idRange)) AS score FROM searchTrigrams"
                conditions.append("searchTrigrams MATCH ?")
                arguments += [trigrams]
            } else {
                table = "d"
                source = "SELECT d.id AS id, -1.0 AS score FROM searchDoc d"
            }
            let filters = Self.filters(criteria)
            let id = table == "d" ? "d.id" : table + ".rowid"
            if filters.needsDocument, table != "d" { source += " JOIN searchDoc d ON d.id = \(id)" }
            if filters.needsFacts { source += " JOIN searchFacts t ON t.id = \(id)" }
            conditions += filters.clauses
            arguments += filters.arguments
            if !conditions.isEmpty { source += " WHERE " + conditions.joined(separator: " AND ") }
            source += " ORDER BY \(table == "d" ? "d.id" : table + ".rowid") DESC LIMIT ?"
            arguments += [criteria.candidates]
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
    private static let idRange = "(SELECT min(id) FROM searchDoc), (SELECT max(id) FROM searchDoc)"

    /// The SQL of `criteria`'s filters on a message (`d`, or its facts `t`) and its session, with their
    /// values. Session filters pick the sessions first and test each match's session number in the
    /// narrow `searchFacts`: a repository's few sessions are looked for among many matches.
    private static func filters(_ criteria: SearchCriteria) -> (
        clauses: [String], arguments: StatementArguments, needsDocument: Bool, needsFacts: Bool
    ) {
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
        if let common = criteria.repoCommonDir {
            sessionClauses.append("s.repoCommonDir = ?")
            arguments += [common]
        }
        if !criteria.agents.isEmpty {
            sessionClauses.append("s.agent IN (\(Self.placeholders(criteria.agents.count)))")
            arguments += StatementArguments(criteria.agents)
        }
        if !criteria.sessionKeyPrefixes.isEmpty {
            let any = criteria.sessionKeyPrefixes.map { _ in "(substr(s.id, 1, length(?)) = ? OR substr(s.key, 1, length(?)) = ?)" }
            sessionClauses.append("(" + any.joined(separator: " OR ") + ")")
            for prefix in criteria.sessionKeyPrefixes { arguments += [prefix, prefix, prefix, prefix] }
        }
        if !sessionClauses.isEmpty {
            clauses.append(
                "t.session IN (SELECT ss.id FROM searchSession ss JOIN session s ON s.key = ss.key WHERE "
                    + sessionClauses.joined(separator: " AND ") + ")")
        }
        return (clauses, arguments, documentClauses > 0, clauses.count > documentClauses)
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
