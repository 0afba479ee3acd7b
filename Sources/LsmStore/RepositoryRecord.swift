import Foundation
import GRDB

/// A repository lsm has seen: its common dir (shared by all worktrees) and main work tree.
public struct RepositoryRecord: Sendable, Equatable {
    public var id: Int64?
    public var commonDir: String
    public var workDir: String?
    public var firstSeenAt: Date
    public var lastSeenAt: Date

    public init(id: Int64? = nil, commonDir: String, workDir: String?, firstSeenAt: Date, lastSeenAt: Date) {
        self.id = id
        self.commonDir = commonDir
        self.workDir = workDir
        self.firstSeenAt = firstSeenAt
        self.lastSeenAt = lastSeenAt
    }
}

extension RepositoryRecord: Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "repository"

    // Times are stored as seconds since 1970 (REAL), which sort and compare in SQL.
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        .timeIntervalSince1970
    }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        .timeIntervalSince1970
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

extension IndexDatabase {
    /// Records that the repository with this common dir was seen at `date`, and returns its row.
    @discardableResult
    public func noteRepository(commonDir: String, workDir: String?, at date: Date) throws(StoreError) -> RepositoryRecord {
        try write { db in
            if var existing = try RepositoryRecord.filter(Column("commonDir") == commonDir).fetchOne(db) {
                existing.lastSeenAt = max(existing.lastSeenAt, date)
                existing.workDir = workDir ?? existing.workDir
                try existing.update(db)
                return existing
            }
            var record = RepositoryRecord(commonDir: commonDir, workDir: workDir, firstSeenAt: date, lastSeenAt: date)
            try record.insert(db)
            return record
        }
    }

    /// The repository with this common dir, if lsm has seen it.
    public func repository(commonDir: String) throws(StoreError) -> RepositoryRecord? {
        try read { db in try RepositoryRecord.filter(Column("commonDir") == commonDir).fetchOne(db) }
    }

    /// Every repository lsm has seen, oldest first.
    public func repositories() throws(StoreError) -> [RepositoryRecord] {
        try read { db in try RepositoryRecord.order(Column("id")).fetchAll(db) }
    }
}
