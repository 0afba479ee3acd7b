import Foundation
import GRDB

extension IndexDatabase {
    /// Stores a memory and returns it with its id.
    public func addMemory(_ memory: MemoryRecord) throws(StoreError) -> MemoryRecord {
        try write { db in
            try db.execute(
                sql: "INSERT INTO memory (scope, text, tags, sessionKey, messageId, quote, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    memory.scope, memory.text, memory.tags, memory.sessionKey, memory.messageID, memory.quote, memory.createdAt,
                ])
            var stored = memory
            stored.id = db.lastInsertedRowID
            return stored
        }
    }

    /// Memories in any of `scopes`, newest first.
    public func memories(scopes: [String]) throws(StoreError) -> [MemoryRecord] {
        guard !scopes.isEmpty else { return [] }
        return try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, scope, text, tags, sessionKey, messageId, quote, createdAt FROM memory
                    WHERE scope IN (\(Self.placeholders(scopes.count))) ORDER BY createdAt DESC, id DESC
                    """, arguments: StatementArguments(scopes)
            ).map(Self.memory)
        }
    }

    /// Memories in any of `scopes` matching the FTS5 expression `match` (built by LsmCore), best first:
    /// bm25 over the newest `memoryCandidates` matches (all of them, unless there are more).
    public func searchMemories(match: String, scopes: [String], limit: Int) throws(StoreError) -> [MemoryRecord] {
        guard !scopes.isEmpty else { return [] }
        return try read { db in
            var arguments: StatementArguments = [match]
            arguments += StatementArguments(scopes)
            arguments += [Self.memoryCandidates, limit]
            return try Row.fetchAll(
                db,
                sql: """
                    WITH hits AS (
                        SELECT m.id, \(SearchRank.name)(memoryWords, (SELECT min(id) FROM memory), (SELECT max(id) FROM memory), 1.0, 2.0)
                            AS score
                        FROM memoryWords JOIN memory m ON m.id = memoryWords.rowid
                        WHERE memoryWords MATCH ? AND m.scope IN (\(Self.placeholders(scopes.count)))
                        ORDER BY memoryWords.rowid DESC LIMIT ?)
                    SELECT m.id, m.scope, m.text, m.tags, m.sessionKey, m.messageId, m.quote, m.createdAt, hits.score
                    FROM hits JOIN memory m ON m.id = hits.id
                    ORDER BY hits.score, m.createdAt DESC LIMIT ?
                    """, arguments: arguments
            ).map { row in
                var memory = Self.memory(row)
                memory.score = row[8]
                return memory
            }
        }
    }

    /// The most matching memories a search ranks (the newest).
    static let memoryCandidates = 1_000

    /// Deletes the memory `id` when it is in one of `scopes`; returns it, or `nil` when there is none.
    public func forgetMemory(id: Int64, scopes: [String]) throws(StoreError) -> MemoryRecord? {
        guard !scopes.isEmpty else { return nil }
        return try write { db in
            var arguments: StatementArguments = [id]
            arguments += StatementArguments(scopes)
            guard
                let found = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT id, scope, text, tags, sessionKey, messageId, quote, createdAt FROM memory
                        WHERE id = ? AND scope IN (\(Self.placeholders(scopes.count)))
                        """, arguments: arguments)
            else { return nil }
            try db.execute(sql: "DELETE FROM memory WHERE id = ?", arguments: [id])
            return Self.memory(found)
        }
    }

    /// Every scope that has memories.
    public func memoryScopes() throws(StoreError) -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT DISTINCT scope FROM memory ORDER BY scope") }
    }

    private static func memory(_ row: Row) -> MemoryRecord {
        MemoryRecord(
            id: row[0], scope: row[1], text: row[2], tags: row[3], sessionKey: row[4], messageID: row[5], quote: row[6], createdAt: row[7])
    }
}
