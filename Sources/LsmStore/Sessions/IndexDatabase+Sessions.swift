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
            if let key = filter.key {
                clauses.append("key = ?")
                arguments += [key]
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
            // Two queries for all chosen sessions, reading the summaries the writer keeps: `status` in
            // a repository with hundreds of sessions stays fast.
            let chosen = "WITH chosen AS (SELECT key FROM session \(whereClause))"
            var records = try Row.fetchAll(
                db,
                sql: """
                    SELECT key, agent, id, cwd, branch, agentVersion, title, parentId, startedAt, lastActivityAt, repoWorkDir, repoCommonDir,
                        lastModel, lastCallAt, lastPromptTokens, lastContextWindow, compactions, reportedModel, reportedContextTokens,
                        reportedContextWindow, toolCalls, toolErrors, apiErrors, interruptions
                    FROM session \(whereClause) ORDER BY coalesce(lastActivityAt, 0) DESC, key
                    """, arguments: arguments
            ).map { row in
                var record = SessionRecord(
                    key: row[0], agent: row[1], id: row[2], cwd: row[3], branch: row[4], agentVersion: row[5], title: row[6],
                    parentID: row[7], startedAt: row[8], lastActivityAt: row[9], repoWorkDir: row[10], repoCommonDir: row[11])
                if let model: String = row[12], let tokens: Int = row[14] {
                    record.lastCall = LastCall(model: model, timestamp: row[13], promptTokens: tokens, contextWindow: row[15])
                }
                record.compactions = row[16]
                record.reportedModel = row[17]
                record.reportedContextTokens = row[18]
                record.reportedContextWindow = row[19]
                record.toolCalls = row[20]
                record.toolErrors = row[21]
                record.apiErrors = row[22]
                record.interruptions = row[23]
                return record
            }
            var position: [String: Int] = [:]
            for (index, record) in records.enumerated() { position[record.key] = index }
            let usage = try Row.fetchCursor(
                db,
                sql: """
                    \(chosen)
                    SELECT sessionKey, model, longContext, calls, input, output, cacheWrite5m, cacheWrite1h, cacheRead
                    FROM sessionUsage WHERE sessionKey IN chosen ORDER BY sessionKey, model, longContext
                    """, arguments: arguments)
            while let row = try usage.next() {
                guard let index = position[row[0]] else { continue }
                records[index].usage.append(
                    ModelUsage(
                        model: row[1], longContext: row[2], calls: row[3], input: row[4], output: row[5], cacheWrite5m: row[6],
                        cacheWrite1h: row[7], cacheRead: row[8]))
            }
            return records
        }
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

    /// How many sessions the index holds.
    public func sessionCount() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM session") ?? 0 }
    }
}

extension IndexDatabase {
    /// Usage of the calls that count since `time` (seconds since 1970), per session and model (and
    /// pricing tier), for the dashboard's "today" and "this 5-hour window" figures.
    public func usageSince(_ time: Double) throws(StoreError) -> [(sessionKey: String, usage: ModelUsage)] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT sessionKey, model, (input + cacheWrite5m + cacheWrite1h + cacheRead) > 200000 AS long, count(*), sum(input),
                        sum(output), sum(cacheWrite5m), sum(cacheWrite1h), sum(cacheRead)
                    FROM call WHERE winner = 1 AND timestamp >= ? GROUP BY sessionKey, model, long
                    """, arguments: [time]
            ).map { row in
                (
                    row[0],
                    ModelUsage(
                        model: row[1], longContext: row[2], calls: row[3], input: row[4], output: row[5], cacheWrite5m: row[6],
                        cacheWrite1h: row[7], cacheRead: row[8])
                )
            }
        }
    }
}
