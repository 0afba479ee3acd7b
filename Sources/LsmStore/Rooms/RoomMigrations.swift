import GRDB

/// The review server's schema, as named migrations in plain SQL. Append new ones; never edit a
/// shipped one.
enum RoomMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-rooms") { db in
            try db.execute(
                sql: """
                    CREATE TABLE event (
                        room TEXT NOT NULL,
                        seq INTEGER NOT NULL CHECK (seq >= 1),
                        kind TEXT NOT NULL,
                        author TEXT NOT NULL,
                        clientId TEXT,
                        payload TEXT NOT NULL,
                        createdAt REAL NOT NULL,
                        PRIMARY KEY (room, seq)
                    ) STRICT, WITHOUT ROWID;
                    CREATE UNIQUE INDEX eventClient ON event(room, author, clientId) WHERE clientId IS NOT NULL;
                    CREATE TABLE invite (
                        id TEXT PRIMARY KEY,
                        hash BLOB NOT NULL UNIQUE,
                        room TEXT NOT NULL,
                        role TEXT NOT NULL,
                        createdAt REAL NOT NULL,
                        expiresAt REAL NOT NULL,
                        maxUses INTEGER NOT NULL CHECK (maxUses >= 1),
                        uses INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0 AND uses <= maxUses),
                        revokedAt REAL
                    ) STRICT;
                    CREATE TABLE member (
                        id TEXT PRIMARY KEY,
                        room TEXT NOT NULL,
                        name TEXT NOT NULL,
                        role TEXT NOT NULL,
                        inviteId TEXT NOT NULL,
                        refreshHash BLOB NOT NULL UNIQUE,
                        createdAt REAL NOT NULL,
                        revokedAt REAL
                    ) STRICT;
                    """)
        }
        return migrator
    }
}
