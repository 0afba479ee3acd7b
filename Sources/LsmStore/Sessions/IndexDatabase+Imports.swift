import Foundation
import GRDB

/// A session restored from an export bundle, as `importedSession` records it.
public struct ImportedSession: Sendable, Equatable {
    public var sessionKey: String
    /// The bundle's checksum: importing the same bundle again changes nothing.
    public var checksum: String
    /// The machine the session was recorded on.
    public var originHost: String
    /// The bundle's header lines (origin, session, commits), exactly as exported.
    public var header: String
    /// The restored transcript files, absolute paths.
    public var files: [String]
    /// The repository the import tied the session to; `nil` when it kept its origin's paths.
    public var repoWorkDir: String?
    public var repoCommonDir: String?
    public var importedAt: Double

    public init(
        sessionKey: String, checksum: String, originHost: String, header: String, files: [String], repoWorkDir: String?,
        repoCommonDir: String?, importedAt: Double
    ) {
        self.sessionKey = sessionKey
        self.checksum = checksum
        self.originHost = originHost
        self.header = header
        self.files = files
        self.repoWorkDir = repoWorkDir
        self.repoCommonDir = repoCommonDir
        self.importedAt = importedAt
    }
}

extension IndexDatabase {
    /// The import record of `sessionKey`, or `nil` when the session was not imported.
    public func importedSession(key: String) throws(StoreError) -> ImportedSession? {
        try read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT sessionKey, checksum, originHost, header, files, repoWorkDir, repoCommonDir, importedAt
                    FROM importedSession WHERE sessionKey = ?
                    """, arguments: [key]
            ).map(Self.importedSession(_:))
        }
    }

    /// Every import record, by session key.
    public func importedSessions() throws(StoreError) -> [String: ImportedSession] {
        try read { db in
            var found: [String: ImportedSession] = [:]
            let rows = try Row.fetchCursor(
                db,
                sql: "SELECT sessionKey, checksum, originHost, header, files, repoWorkDir, repoCommonDir, importedAt FROM importedSession")
            while let row = try rows.next() {
                let imported = Self.importedSession(row)
                found[imported.sessionKey] = imported
            }
            return found
        }
    }

    /// Records (or replaces) an import, and ties the session to the repository the import chose.
    public func recordImport(_ imported: ImportedSession) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO importedSession
                        (sessionKey, checksum, originHost, header, files, repoWorkDir, repoCommonDir, importedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    imported.sessionKey, imported.checksum, imported.originHost, imported.header, Self.jsonArray(imported.files),
                    imported.repoWorkDir, imported.repoCommonDir, imported.importedAt,
                ])
            if let common = imported.repoCommonDir {
                try db.execute(
                    sql: "UPDATE session SET repoWorkDir = ?, repoCommonDir = ?, linkedCwd = cwd WHERE key = ?",
                    arguments: [imported.repoWorkDir, common, imported.sessionKey])
            }
        }
    }

    private static func importedSession(_ row: Row) -> ImportedSession {
        let filesJSON: String = row[4]
        let files = (try? JSONSerialization.jsonObject(with: Data(filesJSON.utf8))) as? [String] ?? []
        return ImportedSession(
            sessionKey: row[0], checksum: row[1], originHost: row[2], header: row[3], files: files, repoWorkDir: row[5],
            repoCommonDir: row[6], importedAt: row[7])
    }
}
