import GRDB

/// The index schema, as named migrations. Append new ones; never edit or reorder a shipped one.
/// Migrations speak SQL only and never mention record types, which change over time.
enum IndexMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-repositories") { db in
            // One row per repository lsm has seen, keyed by its common dir so worktrees group together.
            try db.execute(
                sql: """
                    CREATE TABLE repository (
                        id INTEGER PRIMARY KEY,
                        commonDir TEXT NOT NULL UNIQUE,
                        workDir TEXT,
                        firstSeenAt REAL NOT NULL,
                        lastSeenAt REAL NOT NULL CHECK (lastSeenAt >= firstSeenAt)
                    ) STRICT;
                    """)
        }
        return migrator
    }
}
