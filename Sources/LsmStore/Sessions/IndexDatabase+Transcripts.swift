import Foundation
import GRDB

extension IndexDatabase {
    /// What the index remembers of every transcript file (or only of `paths`), by path.
    public func transcriptStates(paths: [String]? = nil) throws(StoreError) -> [String: TranscriptState] {
        try read { db in
            var states: [String: TranscriptState] = [:]
            let select = "SELECT path, device, inode, size, modified, parsedOffset, readerState FROM transcript"
            let rows =
                if let paths {
                    try Row.fetchCursor(
                        db, sql: select + " WHERE path IN (SELECT value FROM json_each(?))", arguments: [Self.jsonArray(paths)])
                } else {
                    try Row.fetchCursor(db, sql: select)
                }
            while let row = try rows.next() {
                let state = TranscriptState(
                    path: row[0], device: row[1], inode: row[2], size: row[3], modified: row[4], parsedOffset: row[5],
                    readerState: row[6])
                states[state.path] = state
            }
            return states
        }
    }

    static func jsonArray(_ strings: [String]) -> String {
        (try? JSONSerialization.data(withJSONObject: strings)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    /// Writes one file's update in one transaction and returns the keys of the sessions it touched.
    @discardableResult
    public func apply(_ update: TranscriptUpdate) throws(StoreError) -> Set<String> {
        try apply([update])
    }

    /// Writes several files' updates in one transaction: each file is still all-or-nothing, and one
    /// commit for many small files is what makes a first index fast.
    @discardableResult
    public func apply(_ updates: [TranscriptUpdate]) throws(StoreError) -> Set<String> {
        guard !updates.isEmpty else { return [] }
        return try write { db in try TranscriptWriter(db: db).apply(updates) }
    }

    /// Brings the summaries of sessions whose calls changed up to date (after `apply`; also safe to
    /// run at any time, for a run that was killed before it got there). While a bulk load is pending
    /// the sessions stay stale: their winners are not decided yet, and the summaries would need the
    /// indexes it left out.
    public func settleStaleSessions() throws(StoreError) {
        try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM staleSession)") == true, try !DeferredIndexes.areMissing(db)
            else { return }
            try TranscriptWriter(db: db).settleStaleSessions()
        }
    }

    /// Forgets every transcript, session, call and event, and the full-text index read from them (for
    /// `git lsm index --rebuild`); memories stay.
    public func removeAllTranscripts() throws(StoreError) {
        try write { db in
            try db.execute(sql: "DELETE FROM transcript; DELETE FROM session; DELETE FROM sessionUsage; DELETE FROM staleSession;")
            try Self.clearSearch(db)
        }
    }
}

/// The SQL behind `IndexDatabase.apply`, run inside one write transaction.
final class TranscriptWriter {
    let db: Database
    private let calls: PreparedInsert
    private let events: PreparedInsert
    private let tools: PreparedInsert

    init(db: Database) throws {
        self.db = db
        // A streamed message continued in a later run keeps its largest copy.
        calls = try PreparedInsert(
            db,
            sql: """
                INSERT INTO call (transcriptId, key, sessionKey, messageId, model, timestamp, input, output, cacheWrite5m, cacheWrite1h,
                    cacheRead, total, sidechain, position, contextWindow, contextTokens)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(transcriptId, key) DO UPDATE SET sessionKey = excluded.sessionKey, model = excluded.model,
                    timestamp = excluded.timestamp, input = excluded.input, output = excluded.output,
                    cacheWrite5m = excluded.cacheWrite5m, cacheWrite1h = excluded.cacheWrite1h, cacheRead = excluded.cacheRead,
                    total = excluded.total, sidechain = excluded.sidechain, contextWindow = excluded.contextWindow,
                    contextTokens = excluded.contextTokens, position = excluded.position
                WHERE excluded.total > call.total OR (excluded.total = call.total AND excluded.sidechain < call.sidechain)
                """)
        events = try PreparedInsert(
            db,
            sql: "INSERT OR IGNORE INTO event (transcriptId, sessionKey, key, kind, timestamp, text, tokens) VALUES (?, ?, ?, ?, ?, ?, ?)")
        tools = try PreparedInsert(
            db,
            sql: """
                INSERT INTO toolUse (transcriptId, sessionKey, tool, path, count) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(transcriptId, sessionKey, tool, path) DO UPDATE SET count = count + excluded.count
                """)
    }

    /// Writes every update, then settles what depends on several files at once: which copy of a call
    /// counts (unless a bulk load is pending, whose end decides every call at once), and each touched
    /// session's row.
    func apply(_ updates: [TranscriptUpdate]) throws -> Set<String> {
        let winnersDeferred = try DeferredIndexes.areMissing(db)
        var affectedSessions = Set<String>()
        var recheckKeys = Set<String>()
        var recheckMessages = Set<String>()
        var withCalls: [Int64] = []
        for update in updates where try stillExpected(update) {
            let transcriptID = try upsertTranscript(update)
            affectedSessions.formUnion(update.sessions.map(\.key))
            if update.startsOver {
                affectedSessions.formUnion(try dropRows(of: transcriptID, keys: &recheckKeys, messages: &recheckMessages))
            }
            try insertSessionFacts(update.sessions, transcriptID: transcriptID)
            try insertCalls(update.calls, transcriptID: transcriptID)
            try insertEvents(update.events, transcriptID: transcriptID)
            try insertToolUses(update.toolUses, transcriptID: transcriptID)
            if !update.calls.isEmpty { withCalls.append(transcriptID) }
        }
        if !winnersDeferred {
            try collectContested(transcriptIDs: withCalls, keys: &recheckKeys, messages: &recheckMessages)
            affectedSessions.formUnion(try recomputeWinners(keys: recheckKeys, messages: recheckMessages))
        }
        try markStale(affectedSessions)
        return affectedSessions
    }

    /// Decides which copy counts for every key held more than once, every message id held under
    /// several keys, and every copy that lost before (its rival may be gone), as `apply` would have
    /// file by file; marks the sessions concerned stale.
    func decideAllWinners() throws {
        let keys = try String.fetchSet(
            db, sql: "SELECT key FROM call GROUP BY key HAVING count(*) > 1 UNION SELECT key FROM call WHERE winner = 0")
        let messages = try String.fetchSet(
            db, sql: "SELECT messageId FROM call WHERE messageId IS NOT NULL GROUP BY messageId HAVING count(DISTINCT key) > 1")
        try markStale(try recomputeWinners(keys: keys, messages: messages))
    }

    private func markStale(_ sessions: Set<String>) throws {
        let stale = try db.cachedStatement(sql: "INSERT OR IGNORE INTO staleSession (key) VALUES (?)")
        for key in sessions { try stale.execute(arguments: [key]) }
    }

    /// Whether the index still holds what the update was planned against (see `Expectation`).
    private func stillExpected(_ update: TranscriptUpdate) throws -> Bool {
        let current = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT parsedOffset FROM transcript WHERE path = ?"), arguments: [update.file.path])
        switch update.expected {
        case .absent: return current == nil
        case .offset(let offset): return current == offset
        }
    }

    private func upsertTranscript(_ update: TranscriptUpdate) throws -> Int64 {
        let file = update.file
        // Lines are counted afresh when the file starts over, else added to.
        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO transcript (path, agent, device, inode, size, modified, parsedOffset, readerState, firstAt, lines, malformed, error)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                ON CONFLICT(path) DO UPDATE SET agent = excluded.agent, device = excluded.device, inode = excluded.inode,
                    size = excluded.size, modified = excluded.modified, parsedOffset = excluded.parsedOffset,
                    readerState = excluded.readerState, error = excluded.error,
                    firstAt = CASE WHEN ?13 THEN excluded.firstAt ELSE coalesce(transcript.firstAt, excluded.firstAt) END,
                    lines = CASE WHEN ?13 THEN 0 ELSE transcript.lines END + excluded.lines,
                    malformed = CASE WHEN ?13 THEN 0 ELSE transcript.malformed END + excluded.malformed
                RETURNING id
                """)
        let arguments: StatementArguments = [
            file.path, file.agent, file.device, file.inode, file.size, file.modified, file.parsedOffset, file.readerState, file.firstAt,
            update.lines, update.malformedLines, file.error, update.startsOver,
        ]
        guard let transcriptID = try Int64.fetchOne(upsert, arguments: arguments) else {
            throw StoreError(kind: .queryFailed, path: file.path, reason: "transcript row missing after insert")
        }
        return transcriptID
    }

    /// Deletes everything read from a file before, remembering what must be looked at again.
    private func dropRows(of transcriptID: Int64, keys: inout Set<String>, messages: inout Set<String>) throws -> Set<String> {
        let sessions = try String.fetchSet(
            db, sql: "SELECT sessionKey FROM transcriptSession WHERE transcriptId = ?", arguments: [transcriptID])
        keys.formUnion(try String.fetchAll(db, sql: "SELECT key FROM call WHERE transcriptId = ?", arguments: [transcriptID]))
        messages.formUnion(
            try String.fetchAll(
                db, sql: "SELECT messageId FROM call WHERE transcriptId = ? AND messageId IS NOT NULL", arguments: [transcriptID]))
        for table in ["call", "event", "toolUse", "transcriptSession"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE transcriptId = ?", arguments: [transcriptID])
        }
        return sessions
    }

    private func insertSessionFacts(_ sessions: [TranscriptUpdate.SessionFacts], transcriptID: Int64) throws {
        let facts = try db.cachedStatement(
            sql: """
                INSERT INTO transcriptSession (transcriptId, sessionKey, cwd, branch, agentVersion, title, parentId, firstAt, lastAt,
                    model, contextTokens, contextWindow)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(transcriptId, sessionKey) DO UPDATE SET
                    model = coalesce(excluded.model, model), contextTokens = coalesce(excluded.contextTokens, contextTokens),
                    contextWindow = coalesce(excluded.contextWindow, contextWindow),
                    cwd = coalesce(excluded.cwd, cwd), branch = coalesce(excluded.branch, branch),
                    agentVersion = coalesce(excluded.agentVersion, agentVersion), title = coalesce(excluded.title, title),
                    parentId = coalesce(excluded.parentId, parentId),
                    firstAt = min(coalesce(firstAt, excluded.firstAt), coalesce(excluded.firstAt, firstAt)),
                    lastAt = max(coalesce(lastAt, excluded.lastAt), coalesce(excluded.lastAt, lastAt))
                """)
        let session = try db.cachedStatement(sql: "INSERT INTO session (key, agent, id) VALUES (?, ?, ?) ON CONFLICT(key) DO NOTHING")
        for fact in sessions {
            try facts.execute(arguments: [
                transcriptID, fact.key, fact.cwd, fact.branch, fact.agentVersion, fact.title, fact.parentID, fact.firstAt, fact.lastAt,
                fact.model, fact.contextTokens, fact.contextWindow,
            ])
            try session.execute(arguments: [fact.key, fact.agent, fact.id])
        }
    }

    private func insertCalls(_ rows: [TranscriptUpdate.Call], transcriptID: Int64) throws {
        for call in rows {
            calls.bind(1, transcriptID)
            calls.bind(2, call.key)
            calls.bind(3, call.sessionKey)
            calls.bind(4, call.messageID)
            calls.bind(5, call.model)
            calls.bind(6, call.timestamp)
            calls.bind(7, call.input)
            calls.bind(8, call.output)
            calls.bind(9, call.cacheWrite5m)
            calls.bind(10, call.cacheWrite1h)
            calls.bind(11, call.cacheRead)
            calls.bind(12, call.total)
            calls.bind(13, call.isSidechain)
            calls.bind(14, call.position)
            calls.bind(15, call.contextWindow)
            calls.bind(16, call.contextTokens)
            try calls.run()
        }
    }

    private func insertEvents(_ rows: [TranscriptUpdate.Event], transcriptID: Int64) throws {
        for event in rows {
            events.bind(1, transcriptID)
            events.bind(2, event.sessionKey)
            events.bind(3, event.key)
            events.bind(4, event.kind)
            events.bind(5, event.timestamp)
            events.bind(6, event.text)
            events.bind(7, event.tokens)
            try events.run()
        }
    }

    private func insertToolUses(_ uses: [TranscriptUpdate.ToolUse: Int], transcriptID: Int64) throws {
        for (use, count) in uses {
            tools.bind(1, transcriptID)
            tools.bind(2, use.sessionKey)
            tools.bind(3, use.tool)
            tools.bind(4, use.path)
            tools.bind(5, count)
            try tools.run()
        }
    }

    /// Keys of these files' calls that other files also have, and message ids seen under several keys.
    private func collectContested(transcriptIDs: [Int64], keys: inout Set<String>, messages: inout Set<String>) throws {
        guard !transcriptIDs.isEmpty else { return }
        let ids = "[" + transcriptIDs.map(String.init).joined(separator: ",") + "]"
        keys.formUnion(
            try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT c.key FROM call c JOIN call d ON d.key = c.key AND d.transcriptId <> c.transcriptId
                    WHERE c.transcriptId IN (SELECT value FROM json_each(?))
                    """, arguments: [ids]))
        messages.formUnion(
            try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT c.messageId FROM call c
                    JOIN call d ON d.key >= c.messageId || '|' AND d.key < c.messageId || '}' AND d.key <> c.key
                    WHERE c.transcriptId IN (SELECT value FROM json_each(?)) AND c.messageId IS NOT NULL
                    """, arguments: [ids]))
    }
    /// Re-decides which copy counts for the given keys and message ids (see the `call` table), and
    /// returns the sessions those copies belong to.
    private func recomputeWinners(keys: Set<String>, messages: Set<String>) throws -> Set<String> {
        guard !keys.isEmpty || !messages.isEmpty else { return [] }
        let owners = try db.cachedStatement(
            sql: "SELECT DISTINCT sessionKey FROM call WHERE key = ?1 OR (key >= ?2 || '|' AND key < ?2 || '}')")
        var sessions = Set<String>()
        for key in keys { sessions.formUnion(try String.fetchAll(owners, arguments: [key, nil])) }
        for message in messages { sessions.formUnion(try String.fetchAll(owners, arguments: [nil, message])) }
        let statement = try db.cachedStatement(
            sql: """
                UPDATE call SET winner = (
                    NOT EXISTS (
                        SELECT 1 FROM call d WHERE d.key = call.key AND (d.transcriptId <> call.transcriptId) AND (
                            d.total > call.total
                            OR (d.total = call.total AND d.sidechain < call.sidechain)
                            OR (d.total = call.total AND d.sidechain = call.sidechain
                                AND ((SELECT path FROM transcript WHERE id = d.transcriptId)
                                    < (SELECT path FROM transcript WHERE id = call.transcriptId)))))
                    AND NOT (call.sidechain = 1 AND call.messageId IS NOT NULL AND EXISTS (
                        SELECT 1 FROM call m WHERE m.key >= call.messageId || '|' AND m.key < call.messageId || '}'
                            AND m.sidechain = 0 AND m.key <> call.key)))
                WHERE key = ?1 OR (key >= ?2 || '|' AND key < ?2 || '}')
                """)
        for key in keys { try statement.execute(arguments: [key, nil]) }
        for message in messages { try statement.execute(arguments: [nil, message]) }
        return sessions
    }

    /// Rebuilds the rows of every session marked stale, and unmarks them.
    /// Set-based: a first index marks thousands of sessions stale, and one statement per kind of
    /// fact is many times faster than several statements per session.
    func settleStaleSessions() throws {
        try db.execute(
            sql: """
                DELETE FROM session WHERE key IN staleSession
                    AND NOT EXISTS (SELECT 1 FROM transcriptSession t WHERE t.sessionKey = session.key);

                -- The most recent file's values win (by its last record, then by file); times span all files.
                UPDATE session SET
                    cwd = (SELECT cwd FROM transcriptSession t WHERE t.sessionKey = session.key AND cwd IS NOT NULL
                        ORDER BY coalesce(lastAt, 0) DESC, transcriptId DESC LIMIT 1),
                    branch = (SELECT branch FROM transcriptSession t WHERE t.sessionKey = session.key AND branch IS NOT NULL
                        ORDER BY coalesce(lastAt, 0) DESC, transcriptId DESC LIMIT 1),
                    agentVersion = (SELECT agentVersion FROM transcriptSession t WHERE t.sessionKey = session.key AND agentVersion IS NOT NULL
                        ORDER BY coalesce(lastAt, 0) DESC, transcriptId DESC LIMIT 1),
                    title = (SELECT title FROM transcriptSession t WHERE t.sessionKey = session.key AND title IS NOT NULL
                        ORDER BY coalesce(lastAt, 0) DESC, transcriptId DESC LIMIT 1),
                    parentId = (SELECT parentId FROM transcriptSession t WHERE t.sessionKey = session.key AND parentId IS NOT NULL
                        ORDER BY coalesce(lastAt, 0) DESC, transcriptId DESC LIMIT 1),
                    reportedModel = (SELECT model FROM transcriptSession t WHERE t.sessionKey = session.key AND model IS NOT NULL
                        ORDER BY coalesce(lastAt, 0) DESC, transcriptId DESC LIMIT 1),
                    reportedContextTokens = (SELECT contextTokens FROM transcriptSession t
                        WHERE t.sessionKey = session.key AND contextTokens IS NOT NULL ORDER BY coalesce(lastAt, 0) DESC, transcriptId DESC LIMIT 1),
                    reportedContextWindow = (SELECT contextWindow FROM transcriptSession t
                        WHERE t.sessionKey = session.key AND contextWindow IS NOT NULL ORDER BY coalesce(lastAt, 0) DESC, transcriptId DESC LIMIT 1),
                    startedAt = (SELECT min(firstAt) FROM transcriptSession t WHERE t.sessionKey = session.key),
                    lastActivityAt = (SELECT max(lastAt) FROM transcriptSession t WHERE t.sessionKey = session.key),
                    (lastModel, lastCallAt, lastPromptTokens, lastContextWindow) = (
                        SELECT model, timestamp, coalesce(contextTokens, input + cacheWrite5m + cacheWrite1h + cacheRead), contextWindow
                        FROM call WHERE sessionKey = session.key AND winner = 1 AND sidechain = 0 ORDER BY timestamp DESC LIMIT 1),
                    compactions = (SELECT count(*) FROM event WHERE sessionKey = session.key AND kind = 'compaction'),
                    toolErrors = (SELECT count(*) FROM event WHERE sessionKey = session.key AND kind = 'tool-error'),
                    apiErrors = (SELECT count(*) FROM event WHERE sessionKey = session.key AND kind = 'error'),
                    interruptions = (SELECT count(*) FROM event WHERE sessionKey = session.key AND kind = 'interruption'),
                    toolCalls = (SELECT coalesce(sum(count), 0) FROM toolUse WHERE sessionKey = session.key)
                WHERE key IN staleSession;

                DELETE FROM sessionUsage WHERE sessionKey IN staleSession;
                INSERT INTO sessionUsage (sessionKey, model, longContext, calls, input, output, cacheWrite5m, cacheWrite1h, cacheRead)
                SELECT sessionKey, model, (input + cacheWrite5m + cacheWrite1h + cacheRead) > 200000, count(*), sum(input), sum(output),
                    sum(cacheWrite5m), sum(cacheWrite1h), sum(cacheRead)
                FROM call WHERE winner = 1 AND sessionKey IN staleSession
                GROUP BY sessionKey, model, (input + cacheWrite5m + cacheWrite1h + cacheRead) > 200000;

                DELETE FROM staleSession;
                """)
    }

}
