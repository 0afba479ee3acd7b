import Foundation
import GRDB

/// The per-user index: one SQLite database in WAL mode that the CLI, git hooks and the server share.
///
/// Opening it creates the folder and the file when missing and applies pending migrations. Several
/// processes may have it open at once; writers wait for each other up to `busyTimeout`.
public final class IndexDatabase: Sendable {
    /// How long a write waits for another process's write to finish before failing.
    public static let busyTimeout: TimeInterval = 10

    let pool: DatabasePool
    /// The database file.
    public let path: String

    /// Opens (creating when needed) the index at `location`.
    public convenience init(location: IndexLocation) throws(StoreError) {
        let path = location.databaseFile.path
        do {
            try FileManager.default.createDirectory(at: location.home, withIntermediateDirectories: true)
        } catch {
            throw StoreError(kind: .cannotOpen, path: path, reason: Self.reason(error))
        }
        try self.init(path: path)
    }

    /// Opens (creating when needed) the index database file at `path`.
    public init(path: String) throws(StoreError) {
        self.path = path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw StoreError(kind: .cannotOpen, path: path, reason: "it is a directory")
        }
        SQLiteSetup.prepare()
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.label = "lsm-index"
        // WAL with NORMAL sync: a commit survives a killed process (what lsm must survive) without an
        // fsync per transcript file; only a power loss can drop the last few commits, which a re-run
        // reads again.
        // A larger page cache and fewer checkpoints keep a first index of a long history fast.
        // No memory map: a command lives some 50 ms, and the kernel's mapping (16 pages a fault) and
        // unmapping of a few thousand scattered pages cost it more CPU than the reads it spares.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384; PRAGMA wal_autocheckpoint = 20000")
            try SearchRank.register(db)
        }
        // Processes opening a new index at once (the git hooks of several worktrees) would race to
        // switch it to WAL and to apply the same migrations; they take turns on the folder's lock.
        let folder = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 { while flock(folder, LOCK_EX) != 0 && errno == EINTR {} }
        defer { if folder >= 0 { close(folder) } }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try IndexMigrations.migrator.migrate(pool)
        } catch {
            throw StoreError(kind: .cannotOpen, path: path, reason: Self.reason(error))
        }
    }

    /// The names of the migrations applied to this database, in order.
    public func appliedMigrations() throws(StoreError) -> [String] {
        try read { db in try IndexMigrations.migrator.appliedMigrations(db) }
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw StoreError(kind: .queryFailed, path: path, reason: Self.reason(error))
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.write(body)
        } catch {
            throw StoreError(kind: .queryFailed, path: path, reason: Self.reason(error))
        }
    }

    static func reason(_ error: any Error) -> String {
        if let databaseError = error as? DatabaseError {
            return databaseError.message ?? "SQLite error \(databaseError.resultCode.rawValue)"
        }
        return (error as NSError).localizedDescription
    }
}
