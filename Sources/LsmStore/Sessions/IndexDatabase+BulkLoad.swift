import GRDB

/// A first index (or a rebuild) writes every transcript into an empty index. Keeping the lookup
/// indexes below up to date row by row, and deciding which copy of each call counts file by file,
/// costs more than the rest of the writing; building the indexes once at the end and deciding every
/// contested call in one pass costs a fraction of it.
///
/// The missing `call_key` index is the mark of a load not yet finished, and it is crash-safe: the
/// indexes are dropped in one transaction and rebuilt, with every winner decided, in another. Between
/// the two, every writer (of this process or another) leaves winners undecided, and the next
/// `finishBulkLoad` (which every refresh runs) decides them, whether the load finished or was killed.
enum DeferredIndexes {
    /// The indexes left out during a bulk load, as migration "v2-sessions" made them: they must stay
    /// identical to those (a test compares them).
    static let names = ["call_key", "call_session", "event_session", "toolUse_session"]
    static let create = """
        CREATE INDEX IF NOT EXISTS call_key ON call(key);
        CREATE INDEX IF NOT EXISTS call_session ON call(sessionKey, timestamp);
        CREATE INDEX IF NOT EXISTS event_session ON event(sessionKey, timestamp);
        CREATE INDEX IF NOT EXISTS toolUse_session ON toolUse(sessionKey);
        """

    /// Whether a bulk load has left the indexes out: then winners are decided by `finishBulkLoad`.
    static func areMissing(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = 'call_key')") ?? false
    }
}

extension IndexDatabase {
    /// Prepares an index that holds no transcripts for loading many: drops the lookup indexes that
    /// `finishBulkLoad` builds again. Safe at any time; only slower than needed on an index with data.
    public func beginBulkLoad() throws(StoreError) {
        try write { db in
            for name in DeferredIndexes.names { try db.execute(sql: "DROP INDEX IF EXISTS \(name)") }
        }
    }

    /// Ends a bulk load, this process's or one that was killed: builds the lookup indexes and decides
    /// which copy of every contested call counts, marking the sessions concerned stale. Does nothing
    /// when no load is pending.
    public func finishBulkLoad() throws(StoreError) {
        guard try read({ db in try DeferredIndexes.areMissing(db) }) else { return }
        try write { db in
            guard try DeferredIndexes.areMissing(db) else { return }
            try db.execute(sql: DeferredIndexes.create)
            try TranscriptWriter(db: db).decideAllWinners()
        }
    }
}
