import Foundation
import GRDB

/// Where a comment thread's code was found in one version of a file.
public struct CommentLocationRecord: Sendable, Equatable {
    public var threadID: String
    /// The file relocated to, and its blob: the key.
    public var path: String
    public var blob: String
    /// `current`, `moved`, `changed`, `outdated`, `orphaned`.
    public var state: String
    public var foundPath: String?
    public var startLine: Int?
    public var endLine: Int?

    public init(threadID: String, path: String, blob: String, state: String, foundPath: String?, startLine: Int?, endLine: Int?) {
        self.threadID = threadID
        self.path = path
        self.blob = blob
        self.state = state
        self.foundPath = foundPath
        self.startLine = startLine
        self.endLine = endLine
    }
}

extension IndexDatabase {
    /// The cached locations of `threads` in files with these (path, blob) keys.
    public func commentLocations(_ keys: [(threadID: String, path: String, blob: String)]) throws(StoreError) -> [CommentLocationRecord] {
        guard !keys.isEmpty else { return [] }
        return try read { db in
            let statement = try db.cachedStatement(
                sql: "SELECT state, foundPath, startLine, endLine FROM commentLocation WHERE threadId = ? AND path = ? AND blob = ?")
            var found: [CommentLocationRecord] = []
            for key in keys {
                guard let row = try Row.fetchOne(statement, arguments: [key.threadID, key.path, key.blob]) else { continue }
                found.append(
                    CommentLocationRecord(
                        threadID: key.threadID, path: key.path, blob: key.blob, state: row[0], foundPath: row[1], startLine: row[2],
                        endLine: row[3]))
            }
            return found
        }
    }

    /// Stores locations found by relocating, and forgets those unused for 30 days.
    public func storeCommentLocations(_ records: [CommentLocationRecord], at time: Double) throws(StoreError) {
        guard !records.isEmpty else { return }
        try write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO commentLocation (threadId, path, blob, state, foundPath, startLine, endLine, usedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for record in records {
                try statement.execute(
                    arguments: [
                        record.threadID, record.path, record.blob, record.state, record.foundPath, record.startLine, record.endLine, time,
                    ])
            }
            try db.execute(sql: "DELETE FROM commentLocation WHERE usedAt < ?", arguments: [time - 30 * 86_400])
        }
    }
}
