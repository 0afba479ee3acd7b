import PostgresNIO

/// The PostgreSQL room store's schema, as numbered steps in plain SQL applied on open. Append new
/// steps; never edit a shipped one. Tables are prefixed `lsm_` so the database can be shared.
enum PostgresRoomSchema {
    static let steps: [[String]] = [
        // 1: rooms, their events, invites and members (the SQLite store's tables). `lsm_room` holds
        // each room's last sequence number: appends lock its row, so they number one at a time.
        [
            """
            CREATE TABLE lsm_room (
                room TEXT PRIMARY KEY,
                last_seq BIGINT NOT NULL CHECK (last_seq >= 0)
            )
            """,
            """
            CREATE TABLE lsm_event (
                room TEXT NOT NULL,
                seq BIGINT NOT NULL CHECK (seq >= 1),
                kind TEXT NOT NULL,
                author TEXT NOT NULL,
                client_id TEXT,
                payload TEXT NOT NULL,
                created_at DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (room, seq)
            )
            """,
            """
            CREATE UNIQUE INDEX lsm_event_client ON lsm_event (room, author, client_id) WHERE client_id IS NOT NULL
            """,
            """
            CREATE TABLE lsm_invite (
                id TEXT PRIMARY KEY,
                hash BYTEA NOT NULL UNIQUE,
                room TEXT NOT NULL,
                role TEXT NOT NULL,
                created_at DOUBLE PRECISION NOT NULL,
                expires_at DOUBLE PRECISION NOT NULL,
                max_uses BIGINT NOT NULL CHECK (max_uses >= 1),
                uses BIGINT NOT NULL DEFAULT 0 CHECK (uses >= 0 AND uses <= max_uses),
                revoked_at DOUBLE PRECISION
            )
            """,
            """
            CREATE TABLE lsm_member (
                id TEXT PRIMARY KEY,
                room TEXT NOT NULL,
                name TEXT NOT NULL,
                role TEXT NOT NULL,
                invite_id TEXT NOT NULL,
                refresh_hash BYTEA NOT NULL UNIQUE,
                created_at DOUBLE PRECISION NOT NULL,
                revoked_at DOUBLE PRECISION
            )
            """,
        ]
    ]

    /// Brings the database to the newest schema. Several nodes may open it at once: a transaction
    /// advisory lock lets one of them migrate while the others wait.
    static func migrate(_ connections: PostgresConnections) throws {
        try connections.transaction { connection in
            _ = try connections.rows("SELECT pg_advisory_xact_lock(7365001)", on: connection)
            _ = try connections.rows("CREATE TABLE IF NOT EXISTS lsm_schema (version BIGINT NOT NULL)", on: connection)
            let version = try connections.rows("SELECT MAX(version) FROM lsm_schema", on: connection).first?.decode(Int?.self) ?? 0
            guard version <= steps.count else {
                throw PostgresStoreFailure("the database has schema version \(version), newer than this lsm (\(steps.count)); upgrade lsm")
            }
            for (index, step) in steps.enumerated() where index + 1 > version {
                for statement in step { _ = try connections.rows(PostgresQuery(unsafeSQL: statement), on: connection) }
                _ = try connections.rows("INSERT INTO lsm_schema (version) VALUES (\(index + 1))", on: connection)
            }
        }
    }
}
