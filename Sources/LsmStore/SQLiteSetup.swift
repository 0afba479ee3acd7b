import CSQLiteSetup
import GRDBSQLite

/// Process-wide SQLite settings, made once before the first connection opens.
enum SQLiteSetup {
    /// Whether SQLite keeps memory statistics (it does when it was initialized before lsm could say).
    /// Without them, SQLite takes no global mutex around each allocation: building the full-text
    /// index allocates for every token.
    static let keepsMemoryStatistics: Bool = {
        let code = lsm_sqlite_disable_memory_statistics()
        // SQLITE_MISUSE: SQLite was initialized already (statistics stay on; only slower, not wrong).
        return code != SQLITE_OK
    }()

    /// Applies the settings, if no connection was opened before; call before opening one.
    static func prepare() {
        _ = keepsMemoryStatistics
    }
}
