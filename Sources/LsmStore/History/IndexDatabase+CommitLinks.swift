import Foundation
import GRDB

/// A commit ↔ session link `git lsm link` inferred, as the index keeps it.
public struct CommitLinkRecord: Sendable, Equatable {
    public var repoCommonDir: String
    /// The commit's full hexadecimal id.
    public var commit: String
    public var sessionKey: String
    /// 0–1: how sure the evidence makes the link.
    public var confidence: Double
    /// The evidence, as JSON the caller wrote.
    public var evidence: String
    /// When the link was inferred (seconds since 1970).
    public var linkedAt: Double

    public init(repoCommonDir: String, commit: String, sessionKey: String, confidence: Double, evidence: String, linkedAt: Double) {
        self.repoCommonDir = repoCommonDir
        self.commit = commit
        self.sessionKey = sessionKey
        self.confidence = confidence
        self.evidence = evidence
        self.linkedAt = linkedAt
    }
}

/// A transcript file the index read a session from.
public struct SessionTranscript: Sendable, Equatable {
    public var sessionKey: String
    public var agent: String
    public var path: String
}

extension IndexDatabase {
    /// Replaces, in one transaction, every stored link of the sessions `sessionKeys` in the repository
    /// with `links`: what a run that examined those sessions found.
    public func replaceCommitLinks(repoCommonDir: String, sessionKeys: [String], with links: [CommitLinkRecord]) throws(StoreError) {
        try write { db in
            let delete = try db.cachedStatement(sql: "DELETE FROM commitLink WHERE repoCommonDir = ? AND sessionKey = ?")
            for key in Set(sessionKeys + links.map(\.sessionKey)) { try delete.execute(arguments: [repoCommonDir, key]) }
            let insert = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO commitLink (repoCommonDir, commitId, sessionKey, confidence, evidence, linkedAt)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """)
            for link in links {
                try insert.execute(
                    arguments: [link.repoCommonDir, link.commit, link.sessionKey, link.confidence, link.evidence, link.linkedAt])
            }
        }
    }

    /// The stored links of the repository, strongest first per commit.
    public func commitLinks(repoCommonDir: String) throws(StoreError) -> [CommitLinkRecord] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT repoCommonDir, commitId, sessionKey, confidence, evidence, linkedAt FROM commitLink
                    WHERE repoCommonDir = ? ORDER BY commitId, confidence DESC, sessionKey
                    """, arguments: [repoCommonDir]
            ).map { row in
                CommitLinkRecord(
                    repoCommonDir: row[0], commit: row[1], sessionKey: row[2], confidence: row[3], evidence: row[4], linkedAt: row[5])
            }
        }
    }

    /// The transcript files the index read each of `sessionKeys` from.
    public func transcripts(ofSessions sessionKeys: [String]) throws(StoreError) -> [SessionTranscript] {
        guard !sessionKeys.isEmpty else { return [] }
        return try read { db in
            var found: [SessionTranscript] = []
            let statement = try db.cachedStatement(
                sql: """
                    SELECT transcriptSession.sessionKey, transcript.agent, transcript.path FROM transcriptSession
                    JOIN transcript ON transcript.id = transcriptSession.transcriptId
                    WHERE transcriptSession.sessionKey = ? ORDER BY transcript.path
                    """)
            for key in sessionKeys {
                found += try Row.fetchAll(statement, arguments: [key]).map {
                    SessionTranscript(sessionKey: $0[0], agent: $0[1], path: $0[2])
                }
            }
            return found
        }
    }
}
