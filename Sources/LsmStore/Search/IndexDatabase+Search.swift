import Foundation
import GRDB

extension IndexDatabase {
    /// The transcript files the session index knows (path and agent), for the search pass to read.
    public func indexedTranscripts() throws(StoreError) -> [(path: String, agent: String)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT path, agent FROM transcript WHERE error IS NULL ORDER BY path").map { ($0[0], $0[1]) }
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
                    INSERT INTO searchDoc (path, sessionKey, position, role, kind, timestamp, tool, paths, text)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let words = try PreparedInsert(db, sql: "INSERT INTO searchWords (rowid, text, tool, paths) VALUES (?, ?, ?, ?)")
            let trigrams = try PreparedInsert(db, sql: "INSERT INTO searchTrigrams (rowid, text, paths) VALUES (?, ?, ?)")
            for update in updates {
                if update.startsOver { try Self.dropSearchDocuments(db, path: update.state.path) }
                for document in update.documents {
                    documents.bind(1, update.state.path)
                    documents.bind(2, document.sessionKey)
                    documents.bind(3, document.position)
                    documents.bind(4, document.role)
                    documents.bind(5, document.kind)
                    documents.bind(6, document.timestamp)
                    documents.bind(7, document.tool)
                    documents.bind(8, document.paths)
                    documents.bind(9, document.text)
                    try documents.run()
                    let id = db.lastInsertedRowID
                    words.bind(1, id)
                    words.bind(2, document.text)
                    words.bind(3, document.tool)
                    words.bind(4, document.paths)
                    try words.run()
                    trigrams.bind(1, id)
                    trigrams.bind(2, document.text)
                    trigrams.bind(3, document.paths)
                    try trigrams.run()
                }
                let state = update.state
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO searchFile (path, device, inode, size, modified, searchOffset, sessionId)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [state.path, state.device, state.inode, state.size, state.modified, state.offset, state.sessionID])
            }
        }
    }

    /// Forgets files the session index no longer has, with their documents.
    public func dropSearchFiles(_ paths: [String]) throws(StoreError) {
        guard !paths.isEmpty else { return }
        try write { db in
            for path in paths {
                try Self.dropSearchDocuments(db, path: path)
                try db.execute(sql: "DELETE FROM searchFile WHERE path = ?", arguments: [path])
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
                DELETE FROM searchDoc; DELETE FROM searchFile;
                """)
    }

    /// External-content FTS tables are told what they indexed, so the old values go out with the row.
    private static func dropSearchDocuments(_ db: Database, path: String) throws {
        try db.execute(
            sql: """
                INSERT INTO searchWords(searchWords, rowid, text, tool, paths)
                SELECT 'delete', id, text, tool, paths FROM searchDoc WHERE path = ?
                """, arguments: [path])
        try db.execute(
            sql: """
                INSERT INTO searchTrigrams(searchTrigrams, rowid, text, paths)
                SELECT 'delete', id, text, paths FROM searchDoc WHERE path = ?
                """, arguments: [path])
        try db.execute(sql: "DELETE FROM searchDoc WHERE path = ?", arguments: [path])
    }

    /// Documents and their total text size, for `search --stats` and benchmarks.
    public func searchDocumentCount() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM searchDoc") ?? 0 }
    }

    /// The best hits of `criteria`: relevance (bm25) blended with recency, best first.
    public func search(_ criteria: SearchCriteria) throws(StoreError) -> [SearchHitRecord] {
        try read { db in
            var arguments: StatementArguments = []
            var source: String
            if let words = criteria.words {
                source = "SELECT rowid AS id, bm25(searchWords, 1.0, 2.0, 2.0) AS score FROM searchWords WHERE searchWords MATCH ?"
                arguments += [words]
                if let trigrams = criteria.trigrams {
                    source += " AND rowid IN (SELECT rowid FROM searchTrigrams WHERE searchTrigrams MATCH ?)"
                    arguments += [trigrams]
                }
            } else if let trigrams = criteria.trigrams {
                source = "SELECT rowid AS id, bm25(searchTrigrams) AS score FROM searchTrigrams WHERE searchTrigrams MATCH ?"
                arguments += [trigrams]
            } else {
                source = "SELECT id, -1.0 AS score FROM searchDoc"
            }
            // Placeholders in text order: the match in the CTE, the recency in SELECT, then the filters.
            arguments += [criteria.now, criteria.recencyHalfLife]
            var clauses: [String] = []
            if !criteria.roles.isEmpty {
                clauses.append("d.role IN (\(Self.placeholders(criteria.roles.count)))")
                arguments += StatementArguments(criteria.roles)
            }
            if !criteria.tools.isEmpty {
                clauses.append("lower(d.tool) IN (\(Self.placeholders(criteria.tools.count)))")
                arguments += StatementArguments(criteria.tools.map { $0.lowercased() })
            }
            if let common = criteria.repoCommonDir {
                clauses.append("s.repoCommonDir = ?")
                arguments += [common]
            }
            if !criteria.agents.isEmpty {
                clauses.append("s.agent IN (\(Self.placeholders(criteria.agents.count)))")
                arguments += StatementArguments(criteria.agents)
            }
            if !criteria.sessionKeyPrefixes.isEmpty {
                let any = criteria.sessionKeyPrefixes.map { _ in "(substr(s.id, 1, length(?)) = ? OR substr(s.key, 1, length(?)) = ?)" }
                clauses.append("(" + any.joined(separator: " OR ") + ")")
                for prefix in criteria.sessionKeyPrefixes { arguments += [prefix, prefix, prefix, prefix] }
            }
            if let since = criteria.since {
                clauses.append("d.timestamp >= ?")
                arguments += [since]
            }
            let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            // bm25 is negative (lower is better); the recency boost multiplies it by 1 to 1.5.
            let sql = """
                WITH hits AS (\(source))
                SELECT d.id, hits.score * (1.0 + 0.5 / (1.0 + max(0.0, ? - coalesce(d.timestamp, 0.0)) / ?)) AS blended,
                    d.sessionKey, d.position, d.role, d.kind, d.timestamp, d.tool, d.paths, d.text,
                    s.agent, s.id, s.cwd, s.branch, s.repoWorkDir, s.repoCommonDir, s.title
                FROM hits JOIN searchDoc d ON d.id = hits.id JOIN session s ON s.key = d.sessionKey
                \(whereClause)
                ORDER BY blended, d.timestamp DESC, d.id LIMIT ?
                """
            arguments += [criteria.limit]
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

    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}
