import Foundation
import GRDB

/// The full-text index's writes: what the search pass reads, then writes per file, and the upkeep of
/// the FTS5 tables.
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
            var span: SearchSpan?
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
                    if let open = span, open.session == session, open.lastId + 1 == id {
                        span?.lastId = id
                    } else {
                        try span?.record(db)
                        span = SearchSpan(session: session, firstId: id, lastId: id)
                    }
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
            try span?.record(db)
        }
    }

    /// The number of the session `key` in the full-text index, given on first sight.
    private static func searchSession(_ db: Database, key: String) throws -> Int64 {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM searchSession WHERE key = ?", arguments: [key]) { return id }
        try db.execute(sql: "INSERT INTO searchSession (key) VALUES (?)", arguments: [key])
        return db.lastInsertedRowID
    }

    /// Keeps the word index in few b-trees (segments), which a query seeks one by one (and a
    /// repository's search once per id range): after a pass that added a quarter of the index or
    /// more (a first build), or that finds more than `segmentsKept` b-trees (an index built before
    /// this rule), one b-tree ('optimize'); else the small b-trees the pass wrote are merged
    /// ('merge', a bounded amount of work). The trigram index is only merged so: its queries scan
    /// their few matches once, and optimizing it would cost a first build a third more again.
    public func compactSearchIndex(added: Int, indexed: Int) throws(StoreError) {
        guard added > 0 else { return }
        try write { db in
            // One row per leaf page of each b-tree: a millisecond on a million messages.
            let segments = try Int.fetchOne(db, sql: "SELECT count(DISTINCT segid) FROM searchWords_idx") ?? 0
            try db.execute(
                sql: added * 4 >= indexed || segments > Self.segmentsKept
                    ? "INSERT INTO searchWords(searchWords) VALUES ('optimize')"
                    : "INSERT INTO searchWords(searchWords, rank) VALUES ('merge', 500)")
            try db.execute(sql: "INSERT INTO searchTrigrams(searchTrigrams, rank) VALUES ('merge', 500)")
        }
    }

    /// More b-trees than this in the word index are merged into one after a pass.
    static let segmentsKept = 8

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
                DELETE FROM searchFacts; DELETE FROM searchSpan; DELETE FROM searchSession; DELETE FROM searchDoc; DELETE FROM searchFile;
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
        let sessions = try Int64.fetchAll(
            db, sql: "SELECT DISTINCT session FROM searchFacts WHERE id IN (SELECT id FROM searchDoc WHERE fileId = ?)", arguments: [file])
        try db.execute(sql: "DELETE FROM searchFacts WHERE id IN (SELECT id FROM searchDoc WHERE fileId = ?)", arguments: [file])
        try db.execute(sql: "DELETE FROM searchDoc WHERE fileId = ?", arguments: [file])
        for session in sessions { try Self.recordSpansAgain(db, session: session) }
    }

    /// Messages in the full-text index (kept per file, so counting them reads no message).
    public func searchDocumentCount() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT coalesce(sum(messages), 0) FROM searchFile") ?? 0 }
    }
}
