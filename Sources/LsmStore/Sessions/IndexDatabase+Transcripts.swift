import Foundation
import GRDB

extension IndexDatabase {
    /// What the index remembers of every transcript file, by path.
    public func transcriptStates() throws(StoreError) -> [String: TranscriptState] {
        try read { db in
            var states: [String: TranscriptState] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT path, device, inode, size, modified, parsedOffset, readerState FROM transcript")
            while let row = try rows.next() {
                let state = TranscriptState(
                    path: row[0], device: row[1], inode: row[2], size: row[3], modified: row[4], parsedOffset: row[5],
                    readerState: row[6])
                states[state.path] = state
            }
            return states
        }
    }

    /// Writes one file's update in one transaction and returns the keys of the sessions it touched.
    @discardableResult
    public func apply(_ update: TranscriptUpdate) throws(StoreError) -> Set<String> {
        try write { db in try TranscriptWriter(db: db).apply(update) }
    }

    /// Forgets every transcript, session, call and event (for `git lsm index --rebuild`).
    public func removeAllTranscripts() throws(StoreError) {
        try write { db in
            try db.execute(sql: "DELETE FROM transcript; DELETE FROM session;")
        }
    }
}

/// The SQL behind `IndexDatabase.apply`, run inside one write transaction.
private struct TranscriptWriter {
    let db: Database

    func apply(_ update: TranscriptUpdate) throws -> Set<String> {
        let file = update.file
        var affectedSessions = Set(update.sessions.map(\.key))
        try db.execute(
            sql: """
                INSERT INTO transcript (path, agent, device, inode, size, modified, parsedOffset, readerState, firstAt, lines, malformed, error)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?)
                ON CONFLICT(path) DO UPDATE SET agent = excluded.agent, device = excluded.device, inode = excluded.inode,
                    size = excluded.size, modified = excluded.modified, parsedOffset = excluded.parsedOffset,
                    readerState = excluded.readerState, firstAt = coalesce(transcript.firstAt, excluded.firstAt), error = excluded.error
                """,
            arguments: [
                file.path, file.agent, file.device, file.inode, file.size, file.modified, file.parsedOffset, file.readerState,
                file.firstAt, file.error,
            ])
        guard let transcriptID = try Int64.fetchOne(db, sql: "SELECT id FROM transcript WHERE path = ?", arguments: [file.path]) else {
            throw StoreError(kind: .queryFailed, path: file.path, reason: "transcript row missing after insert")
        }
        var recheckKeys = Set<String>()
        var recheckMessages = Set<String>()
        if update.startsOver {
            affectedSessions.formUnion(try dropRows(of: transcriptID, keys: &recheckKeys, messages: &recheckMessages))
            try db.execute(
                sql: "UPDATE transcript SET lines = 0, malformed = 0, firstAt = ? WHERE id = ?", arguments: [file.firstAt, transcriptID])
        }
        try db.execute(
            sql: "UPDATE transcript SET lines = lines + ?, malformed = malformed + ? WHERE id = ?",
            arguments: [update.lines, update.malformedLines, transcriptID])
        try insertSessionFacts(update.sessions, transcriptID: transcriptID)
        try insertCalls(update.calls, transcriptID: transcriptID, fileEndedAt: file.lastAt)
        try insertEvents(update.events, transcriptID: transcriptID)
        try insertToolUses(update.toolUses, transcriptID: transcriptID)
        if !update.calls.isEmpty {
            try collectContested(transcriptID: transcriptID, keys: &recheckKeys, messages: &recheckMessages)
        }
        try recomputeWinners(keys: recheckKeys, messages: recheckMessages)
        for key in affectedSessions { try recomputeSession(key) }
        return affectedSessions
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
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO transcriptSession (transcriptId, sessionKey, cwd, branch, agentVersion, title, parentId, firstAt, lastAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(transcriptId, sessionKey) DO UPDATE SET
                    cwd = coalesce(excluded.cwd, cwd), branch = coalesce(excluded.branch, branch),
                    agentVersion = coalesce(excluded.agentVersion, agentVersion), title = coalesce(excluded.title, title),
                    parentId = coalesce(excluded.parentId, parentId),
                    firstAt = min(coalesce(firstAt, excluded.firstAt), coalesce(excluded.firstAt, firstAt)),
                    lastAt = max(coalesce(lastAt, excluded.lastAt), coalesce(excluded.lastAt, lastAt))
                """)
        for facts in sessions {
            try statement.execute(arguments: [
                transcriptID, facts.key, facts.cwd, facts.branch, facts.agentVersion, facts.title, facts.parentID, facts.firstAt,
                facts.lastAt,
            ])
            try db.execute(
                sql: "INSERT INTO session (key, agent, id) VALUES (?, ?, ?) ON CONFLICT(key) DO NOTHING",
                arguments: [facts.key, facts.agent, facts.id])
        }
    }

    private func insertCalls(_ calls: [TranscriptUpdate.Call], transcriptID: Int64, fileEndedAt: Double?) throws {
        // A streamed message continued in a later run keeps its largest copy.
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO call (transcriptId, key, sessionKey, messageId, model, timestamp, input, output, cacheWrite5m, cacheWrite1h,
                    cacheRead, total, sidechain, fileEndedAt, contextWindow, contextTokens)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(transcriptId, key) DO UPDATE SET sessionKey = excluded.sessionKey, model = excluded.model,
                    timestamp = excluded.timestamp, input = excluded.input, output = excluded.output,
                    cacheWrite5m = excluded.cacheWrite5m, cacheWrite1h = excluded.cacheWrite1h, cacheRead = excluded.cacheRead,
                    total = excluded.total, sidechain = excluded.sidechain, contextWindow = excluded.contextWindow,
                    contextTokens = excluded.contextTokens
                WHERE excluded.total > call.total OR (excluded.total = call.total AND excluded.sidechain < call.sidechain)
                """)
        for call in calls {
            statement.setUncheckedArguments([
                transcriptID, call.key, call.sessionKey, call.messageID, call.model, call.timestamp, call.input, call.output,
                call.cacheWrite5m, call.cacheWrite1h, call.cacheRead, call.total, call.isSidechain, fileEndedAt, call.contextWindow,
                call.contextTokens,
            ])
            try statement.execute()
        }
    }

    private func insertEvents(_ events: [TranscriptUpdate.Event], transcriptID: Int64) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO event (transcriptId, sessionKey, key, kind, timestamp, text, tokens) VALUES (?, ?, ?, ?, ?, ?, ?)")
        for event in events {
            try statement.execute(arguments: [
                transcriptID, event.sessionKey, event.key, event.kind, event.timestamp, event.text, event.tokens,
            ])
        }
    }

    private func insertToolUses(_ uses: [TranscriptUpdate.ToolUse: Int], transcriptID: Int64) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO toolUse (transcriptId, sessionKey, tool, path, count) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(transcriptId, sessionKey, tool, path) DO UPDATE SET count = count + excluded.count
                """)
        for (use, count) in uses {
            try statement.execute(arguments: [transcriptID, use.sessionKey, use.tool, use.path, count])
        }
    }

    /// Keys of this file's calls that other files also have, and message ids seen under several keys.
    private func collectContested(transcriptID: Int64, keys: inout Set<String>, messages: inout Set<String>) throws {
        keys.formUnion(
            try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT c.key FROM call c JOIN call d ON d.key = c.key AND d.transcriptId <> c.transcriptId
                    WHERE c.transcriptId = ?
                    """, arguments: [transcriptID]))
        messages.formUnion(
            try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT c.messageId FROM call c JOIN call d ON d.messageId = c.messageId AND d.key <> c.key
                    WHERE c.transcriptId = ? AND c.messageId IS NOT NULL
                    """, arguments: [transcriptID]))
    }

    /// Re-decides which copy counts for the given keys and message ids (see the `call` table).
    private func recomputeWinners(keys: Set<String>, messages: Set<String>) throws {
        guard !keys.isEmpty || !messages.isEmpty else { return }
        let statement = try db.cachedStatement(
            sql: """
                UPDATE call SET winner = (
                    NOT EXISTS (
                        SELECT 1 FROM call d WHERE d.key = call.key AND (d.transcriptId <> call.transcriptId) AND (
                            d.total > call.total
                            OR (d.total = call.total AND d.sidechain < call.sidechain)
                            OR (d.total = call.total AND d.sidechain = call.sidechain
                                AND coalesce(d.fileEndedAt, 1e300) < coalesce(call.fileEndedAt, 1e300))
                            OR (d.total = call.total AND d.sidechain = call.sidechain
                                AND coalesce(d.fileEndedAt, 1e300) = coalesce(call.fileEndedAt, 1e300)
                                AND d.transcriptId < call.transcriptId)))
                    AND NOT (call.sidechain = 1 AND call.messageId IS NOT NULL AND EXISTS (
                        SELECT 1 FROM call m WHERE m.messageId = call.messageId AND m.sidechain = 0 AND m.key <> call.key)))
                WHERE key = ?1 OR (?2 IS NOT NULL AND messageId = ?2)
                """)
        for key in keys { try statement.execute(arguments: [key, nil]) }
        for message in messages { try statement.execute(arguments: [nil, message]) }
    }

    /// Rebuilds a session's row from what every file says about it.
    private func recomputeSession(_ key: String) throws {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT cwd, branch, agentVersion, title, parentId, firstAt, lastAt FROM transcriptSession
                WHERE sessionKey = ? ORDER BY coalesce(lastAt, 0), transcriptId
                """, arguments: [key])
        guard !rows.isEmpty else {
            try db.execute(sql: "DELETE FROM session WHERE key = ?", arguments: [key])
            return
        }
        var cwd: String?
        var branch: String?
        var version: String?
        var title: String?
        var parent: String?
        var first: Double?
        var last: Double?
        for row in rows {
            // The most recent file's values win; times span all files.
            cwd = row[0] ?? cwd
            branch = row[1] ?? branch
            version = row[2] ?? version
            title = row[3] ?? title
            parent = row[4] ?? parent
            if let value: Double = row[5] { first = min(first ?? value, value) }
            if let value: Double = row[6] { last = max(last ?? value, value) }
        }
        try db.execute(
            sql: """
                UPDATE session SET cwd = ?, branch = ?, agentVersion = ?, title = ?, parentId = ?, startedAt = ?, lastActivityAt = ?
                WHERE key = ?
                """, arguments: [cwd, branch, version, title, parent, first, last, key])
    }
}
