import Foundation
import GRDB

extension IndexDatabase {
    /// Sessions matching `filter`, most recently active first, with usage from the calls that count.
    public func sessions(matching filter: SessionFilter) throws(StoreError) -> [SessionRecord] {
        try read { db in
            var clauses: [String] = []
            var arguments: StatementArguments = []
            if let common = filter.repoCommonDir {
                clauses.append("repoCommonDir = ?")
                arguments += [common]
            }
            if let agent = filter.agent {
                clauses.append("agent = ?")
                arguments += [agent]
            }
            if let since = filter.activeSince {
                clauses.append("lastActivityAt >= ?")
                arguments += [since]
            }
            if let prefix = filter.keyPrefix {
                clauses.append("substr(key, 1, length(?)) = ?")
                arguments += [prefix, prefix]
            }
            if let prefix = filter.idPrefix {
                clauses.append("substr(id, 1, length(?)) = ?")
                arguments += [prefix, prefix]
            }
            let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT key, agent, id, cwd, branch, agentVersion, title, parentId, startedAt, lastActivityAt, repoWorkDir, repoCommonDir
                    FROM session \(whereClause) ORDER BY coalesce(lastActivityAt, 0) DESC, key
                    """, arguments: arguments)
            return try rows.map { row in
                var record = SessionRecord(
                    key: row[0], agent: row[1], id: row[2], cwd: row[3], branch: row[4], agentVersion: row[5], title: row[6],
                    parentID: row[7], startedAt: row[8], lastActivityAt: row[9], repoWorkDir: row[10], repoCommonDir: row[11])
                try Self.fillUsage(&record, db: db)
                return record
            }
        }
    }

    private static func fillUsage(_ record: inout SessionRecord, db: Database) throws {
        let usageStatement = try db.cachedStatement(
            sql: """
                SELECT model, (input + cacheWrite5m + cacheWrite1h + cacheRead) > 200000 AS long, count(*), sum(input), sum(output),
                    sum(cacheWrite5m), sum(cacheWrite1h), sum(cacheRead)
                FROM call WHERE sessionKey = ? AND winner = 1 GROUP BY model, long ORDER BY model, long
                """)
        record.usage = try Row.fetchAll(usageStatement, arguments: [record.key]).map { row in
            ModelUsage(
                model: row[0], longContext: row[1], calls: row[2], input: row[3], output: row[4], cacheWrite5m: row[5],
                cacheWrite1h: row[6], cacheRead: row[7])
        }
        let lastStatement = try db.cachedStatement(
            sql: """
                SELECT model, timestamp, coalesce(contextTokens, input + cacheWrite5m + cacheWrite1h + cacheRead), contextWindow
                FROM call WHERE sessionKey = ? AND winner = 1 AND sidechain = 0
                ORDER BY timestamp DESC LIMIT 1
                """)
        if let row = try Row.fetchOne(lastStatement, arguments: [record.key]) {
            record.lastCall = LastCall(model: row[0], timestamp: row[1], promptTokens: row[2], contextWindow: row[3])
        }
        let compactions = try db.cachedStatement(sql: "SELECT count(*) FROM event WHERE sessionKey = ? AND kind = 'compaction'")
        record.compactions = try Int.fetchOne(compactions, arguments: [record.key]) ?? 0
    }

    /// The timeline of one session.
    public func sessionDetail(key: String) throws(StoreError) -> SessionDetail {
        try read { db in
            let events = try Row.fetchAll(
                db, sql: "SELECT kind, timestamp, text, tokens FROM event WHERE sessionKey = ? ORDER BY coalesce(timestamp, 0), id",
                arguments: [key]
            ).map { row in SessionDetail.Event(kind: row[0], timestamp: row[1], text: row[2], tokens: row[3]) }
            let tools = try Row.fetchAll(
                db,
                sql: """
                    SELECT tool, path, sum(count) FROM toolUse WHERE sessionKey = ? GROUP BY tool, path ORDER BY sum(count) DESC, path
                    """, arguments: [key]
            ).map { row in SessionDetail.ToolUse(tool: row[0], path: row[1], count: row[2]) }
            return SessionDetail(events: events, toolUses: tools)
        }
    }

    /// Sessions whose working directory has not been matched to a repository since it last changed.
    public func sessionsNeedingRepository() throws(StoreError) -> [(key: String, cwd: String)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT key, cwd FROM session WHERE cwd IS NOT NULL AND linkedCwd IS NOT cwd").map { ($0[0], $0[1]) }
        }
    }

    /// Records which repository each session's working directory belongs to (`nil`s: none).
    public func setRepositories(_ links: [(sessionKey: String, cwd: String, workDir: String?, commonDir: String?)]) throws(StoreError) {
        guard !links.isEmpty else { return }
        try write { db in
            let statement = try db.cachedStatement(
                sql: "UPDATE session SET repoWorkDir = ?, repoCommonDir = ?, linkedCwd = ? WHERE key = ?")
            for link in links {
                try statement.execute(arguments: [link.workDir, link.commonDir, link.cwd, link.sessionKey])
            }
        }
    }

    /// Counts over every transcript and session in the index.
    public func statistics() throws(StoreError) -> IndexStatistics {
        try read { db in
            let files = try Row.fetchOne(
                db,
                sql: "SELECT count(*), coalesce(sum(parsedOffset), 0), coalesce(sum(lines), 0), coalesce(sum(malformed), 0) FROM transcript"
            )
            let sessions = try Int.fetchOne(db, sql: "SELECT count(*) FROM session") ?? 0
            let calls = try Int.fetchOne(db, sql: "SELECT count(*) FROM call WHERE winner = 1") ?? 0
            return IndexStatistics(
                files: files?[0] ?? 0, bytes: files?[1] ?? 0, lines: files?[2] ?? 0, malformedLines: files?[3] ?? 0, sessions: sessions,
                calls: calls)
        }
    }
}
