import Foundation
import GRDB

/// What an agent hook reported about a session.
public struct AgentActivity: Sendable, Equatable {
    public var sessionKey: String
    public var agent: String
    public var id: String
    public var cwd: String?
    public var repoCommonDir: String?
    public var transcriptPath: String?
    /// The hook event's name (`SessionStart`, `PostToolUse`, …).
    public var lastEvent: String
    public var lastEventAt: Double
    /// When the session ended (`SessionEnd`), or `nil` while it runs.
    public var endedAt: Double?
    /// Files the session's tools edited, as the hooks reported them.
    public var editedPaths: [String] = []

    public init(
        sessionKey: String, agent: String, id: String, cwd: String?, repoCommonDir: String?, transcriptPath: String?, lastEvent: String,
        lastEventAt: Double, endedAt: Double?
    ) {
        self.sessionKey = sessionKey
        self.agent = agent
        self.id = id
        self.cwd = cwd
        self.repoCommonDir = repoCommonDir
        self.transcriptPath = transcriptPath
        self.lastEvent = lastEvent
        self.lastEventAt = lastEventAt
        self.endedAt = endedAt
    }
}

extension IndexDatabase {
    /// Records a hook event: the session's latest activity and, for edits, the files edited.
    public func recordActivity(_ activity: AgentActivity, editedPaths: [(path: String, tool: String)]) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO agentActivity (sessionKey, agent, id, cwd, repoCommonDir, transcriptPath, lastEvent, lastEventAt, endedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (sessionKey) DO UPDATE SET
                        cwd = coalesce(excluded.cwd, cwd), repoCommonDir = coalesce(excluded.repoCommonDir, repoCommonDir),
                        transcriptPath = coalesce(excluded.transcriptPath, transcriptPath), lastEvent = excluded.lastEvent,
                        lastEventAt = max(lastEventAt, excluded.lastEventAt), endedAt = excluded.endedAt
                    """,
                arguments: [
                    activity.sessionKey, activity.agent, activity.id, activity.cwd, activity.repoCommonDir, activity.transcriptPath,
                    activity.lastEvent, activity.lastEventAt, activity.endedAt,
                ])
            for edit in editedPaths {
                try db.execute(
                    sql: """
                        INSERT INTO agentEdit (sessionKey, path, tool, editedAt) VALUES (?, ?, ?, ?)
                        ON CONFLICT (sessionKey, path) DO UPDATE SET tool = excluded.tool, editedAt = max(editedAt, excluded.editedAt)
                        """, arguments: [activity.sessionKey, edit.path, edit.tool, activity.lastEventAt])
            }
        }
    }

    /// Sessions the hooks saw at work in the repository with this common dir since `time`, and not
    /// ended before it.
    public func activity(repoCommonDir: String, since time: Double) throws(StoreError) -> [AgentActivity] {
        try read { db in
            var found = try Row.fetchAll(
                db,
                sql: """
                    SELECT sessionKey, agent, id, cwd, repoCommonDir, transcriptPath, lastEvent, lastEventAt, endedAt
                    FROM agentActivity WHERE repoCommonDir = ? AND lastEventAt >= ? AND (endedAt IS NULL OR endedAt >= ?)
                    ORDER BY lastEventAt DESC
                    """, arguments: [repoCommonDir, time, time]
            ).map { row in
                AgentActivity(
                    sessionKey: row[0], agent: row[1], id: row[2], cwd: row[3], repoCommonDir: row[4], transcriptPath: row[5],
                    lastEvent: row[6], lastEventAt: row[7], endedAt: row[8])
            }
            for index in found.indices {
                found[index].editedPaths = try String.fetchAll(
                    db, sql: "SELECT path FROM agentEdit WHERE sessionKey = ? ORDER BY editedAt, path", arguments: [found[index].sessionKey]
                )
            }
            return found
        }
    }
}

extension IndexDatabase {
    /// Usage of one session's counted calls in the time window `(after, through]` (seconds since
    /// 1970; no lower bound when `after` is `nil`), per model and pricing tier: what a session spent
    /// between two commits.
    public func sessionUsage(key: String, after: Double?, through: Double) throws(StoreError) -> [ModelUsage] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT model, (input + cacheWrite5m + cacheWrite1h + cacheRead) > 200000 AS long, count(*), sum(input), sum(output),
                        sum(cacheWrite5m), sum(cacheWrite1h), sum(cacheRead)
                    FROM call WHERE sessionKey = ? AND winner = 1 AND timestamp > ? AND timestamp <= ?
                    GROUP BY model, long ORDER BY model, long
                    """, arguments: [key, after ?? -Double.greatestFiniteMagnitude, through]
            ).map { row in
                ModelUsage(
                    model: row[0], longContext: row[1], calls: row[2], input: row[3], output: row[4], cacheWrite5m: row[5],
                    cacheWrite1h: row[6], cacheRead: row[7])
            }
        }
    }
}
