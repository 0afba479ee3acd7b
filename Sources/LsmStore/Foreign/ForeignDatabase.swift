import Foundation
import GRDB

/// A read-only view of another program's SQLite database (Cursor's `state.vscdb`, the Cursor CLI's
/// `store.db`), giving plain Swift values so that no SQL leaves LsmStore.
///
/// The file is opened read-only and never changed. When the owner holds a lock that keeps readers
/// out (`SQLITE_BUSY`, `SQLITE_LOCKED`), the database, with its `-wal` or `-journal`, is copied to a
/// temporary folder and the copy is read instead; the copy is deleted when this value goes away.
public final class ForeignDatabase {
    /// How long a query waits for the owner's lock before reading a copy instead.
    public static let busyTimeout: TimeInterval = 0.2

    /// The database file asked for.
    public let path: String
    private var queue: DatabaseQueue
    private var copy: ForeignDatabaseCopy?

    /// Whether queries read a copy because the file was locked.
    public var readsCopy: Bool { copy != nil }

    /// Opens `path` read-only.
    public init(path: String) throws(StoreError) {
        self.path = path
        do {
            queue = try Self.open(path, readonly: true)
        } catch {
            guard Self.isBusy(error) else { throw Self.storeError(error, path: path, opening: true) }
            let copy = try ForeignDatabaseCopy(of: path)
            self.copy = copy
            do {
                queue = try Self.open(copy.path, readonly: false)
            } catch {
                throw Self.storeError(error, path: path, opening: true)
            }
        }
    }

    /// Whether the database has a table named `table`.
    public func hasTable(_ table: String) throws(StoreError) -> Bool {
        try query { db in try db.tableExists(table) }
    }

    /// Calls `body` with the key and value of each row of `table` whose key starts with `keyPrefix`,
    /// in key order, one row at a time (a value can be megabytes; the rows are never all in memory).
    /// Text values are given as their UTF-8 bytes; rows whose key or value is `NULL` are skipped.
    public func forEachRow(
        in table: String, keyColumn: String = "key", valueColumn: String = "value", keyPrefix: String = "",
        _ body: (String, Data) -> Void
    ) throws(StoreError) {
        let sql: String
        let arguments: StatementArguments
        let select =
            "SELECT \(keyColumn.quotedDatabaseIdentifier), \(valueColumn.quotedDatabaseIdentifier) FROM \(table.quotedDatabaseIdentifier)"
        if keyPrefix.isEmpty {
            sql = select
            arguments = []
        } else {
            // A range rather than LIKE, so the key's index is used and `_` and `%` mean themselves.
            sql = select + " WHERE \(keyColumn.quotedDatabaseIdentifier) >= ? AND \(keyColumn.quotedDatabaseIdentifier) < ?"
            arguments = [keyPrefix, keyPrefix + "\u{10FFFF}"]
        }
        try query { db in
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() {
                guard let key = row[0] as String?, key.hasPrefix(keyPrefix), let value = row[1] as Data? else { continue }
                body(key, value)
            }
        }
    }

    /// The value of the row of `table` whose key is `key`, or `nil` when there is none.
    public func value(in table: String, key: String, keyColumn: String = "key", valueColumn: String = "value") throws(StoreError)
        -> Data?
    {
        let sql =
            "SELECT \(valueColumn.quotedDatabaseIdentifier) FROM \(table.quotedDatabaseIdentifier) WHERE \(keyColumn.quotedDatabaseIdentifier) = ? LIMIT 1"
        return try query { db in try Data.fetchOne(db, sql: sql, arguments: [key]) }
    }

    /// Runs `body`; when the file is locked, switches to a copy and runs it again. A lock is met
    /// before the first row is read, so `body` never gives a row twice.
    private func query<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try queue.inDatabase(body)
        } catch {
            guard copy == nil, Self.isBusy(error) else { throw Self.storeError(error, path: path, opening: false) }
        }
        do {
            let copy = try ForeignDatabaseCopy(of: path)
            queue = try Self.open(copy.path, readonly: false)
            self.copy = copy
            return try queue.inDatabase(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw Self.storeError(error, path: path, opening: false)
        }
    }

    /// A connection to `path`. The copy is opened writable so SQLite can replay its WAL or roll back
    /// its hot journal; the original never is.
    private static func open(_ path: String, readonly: Bool) throws -> DatabaseQueue {
        SQLiteSetup.prepare()
        var configuration = Configuration()
        configuration.readonly = readonly
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "lsm-foreign"
        // GRDB checks the file is a database when opening; a file that is not one fails here.
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Locked or busy; or read-only trouble that a private copy fixes (a crashed owner's hot journal
    /// to roll back, a WAL whose shared memory this user cannot write).
    private static func isBusy(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED || error.resultCode == .SQLITE_READONLY
    }

    private static func storeError(_ error: any Error, path: String, opening: Bool) -> StoreError {
        if let error = error as? StoreError { return error }
        let notDatabase = (error as? DatabaseError).map { $0.resultCode == .SQLITE_NOTADB || $0.resultCode == .SQLITE_CANTOPEN } ?? false
        return StoreError(kind: opening || notDatabase ? .cannotOpen : .queryFailed, path: path, reason: IndexDatabase.reason(error))
    }
}
