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
        migrator.registerMigration("v2-sessions") { db in
            try db.execute(sql: sessionSchema)
        }
        migrator.registerMigration("v4-agent-activity") { db in
            try db.execute(sql: activitySchema)
        }
        migrator.registerMigration("v5-commit-links") { db in
            try db.execute(sql: commitLinkSchema)
        }
        migrator.registerMigration("v6-comment-locations") { db in
            // Where each comment thread's code was found in a file version: relocating is a pure
            // function of the thread's anchor and the target file, so a listing only relocates threads
            // whose file changed since the last one.
            try db.execute(
                sql: """
                    CREATE TABLE commentLocation (
                        threadId TEXT NOT NULL,
                        path TEXT NOT NULL,
                        blob TEXT NOT NULL,
                        state TEXT NOT NULL,
                        foundPath TEXT,
                        startLine INTEGER,
                        endLine INTEGER,
                        usedAt REAL NOT NULL,
                        PRIMARY KEY (threadId, path, blob)
                    ) STRICT, WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v6-search") { db in
            try db.execute(sql: searchSchema)
        }
        migrator.registerMigration("v7-imports") { db in
            try db.execute(sql: importSchema)
        }
        migrator.registerMigration("v8-search-spans") { db in
            try db.execute(sql: searchSpanSchema)
        }
        return migrator
    }

    /// Sessions restored from another machine's export bundle (`git lsm import`). Their transcripts
    /// are copies under `$LSM_HOME/imported/`, indexed like any other; this row says where they came
    /// from. `header` holds the bundle's origin, session and commits lines as exported, so exporting
    /// the session again gives the same bundle; `repoWorkDir`/`repoCommonDir` are the repository the
    /// import tied the session to (`NULL`: as at its origin, by its working directory).
    static let importSchema = """
        CREATE TABLE importedSession (
            sessionKey TEXT PRIMARY KEY,
            checksum TEXT NOT NULL,
            originHost TEXT NOT NULL,
            header TEXT NOT NULL,
            files TEXT NOT NULL,
            repoWorkDir TEXT,
            repoCommonDir TEXT,
            importedAt REAL NOT NULL
        ) STRICT, WITHOUT ROWID;
        """

    /// The full-text index of transcripts and the user's memories. Each searchable message is stored
    /// once, in `searchDoc`; the two FTS5 tables index it without a copy (external content): words with
    /// bm25 ranking, and trigrams for substrings of the message's identifiers (its words with other
    /// characters than letters, digits, or capitals inside) and of its paths; trigrams of all text
    /// made the index four times slower to build and twice as large. `searchFile` is the search pass's
    /// own progress per transcript file, apart from the session index's, with its message count;
    /// `searchFacts` repeats each message's time and session (numbered in `searchSession`) narrowly.
    static let searchSchema = """
        CREATE TABLE searchFile (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            device INTEGER NOT NULL,
            inode INTEGER NOT NULL,
            size INTEGER NOT NULL,
            modified REAL NOT NULL,
            searchOffset INTEGER NOT NULL CHECK (searchOffset >= 0),
            sessionId TEXT,
            messages INTEGER NOT NULL DEFAULT 0 CHECK (messages >= 0)
        ) STRICT;

        CREATE TABLE searchDoc (
            id INTEGER PRIMARY KEY,
            fileId INTEGER NOT NULL,
            sessionKey TEXT NOT NULL,
            position INTEGER NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'tool')),
            kind TEXT NOT NULL,
            timestamp REAL,
            tool TEXT,
            paths TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL,
            identifiers TEXT NOT NULL DEFAULT ''
        ) STRICT;
        CREATE INDEX searchDoc_file ON searchDoc(fileId);
        -- Each message's time and session again, narrow: ranking reads the times of up to 2,000
        -- candidates and a repository's search tests the session of many matches; here they share a
        -- few pages instead of touching a page of searchDoc each. Sessions are numbered in searchSession.
        CREATE TABLE searchSession (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE
        ) STRICT;
        CREATE TABLE searchFacts (
            id INTEGER PRIMARY KEY,
            timestamp REAL,
            session INTEGER NOT NULL
        ) STRICT;

        CREATE VIRTUAL TABLE searchWords USING fts5(
            text, tool, paths, content='searchDoc', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
        CREATE VIRTUAL TABLE searchTrigrams USING fts5(
            identifiers, paths, content='searchDoc', content_rowid='id', tokenize='trigram');
        -- Larger in-memory segments (32 MB, not 1 MB) and merges of 16 segments (not 4): a first
        -- index of a long history writes and rewrites a third less.
        INSERT INTO searchWords(searchWords, rank) VALUES ('hashsize', 33554432);
        INSERT INTO searchWords(searchWords, rank) VALUES ('automerge', 16);
        INSERT INTO searchTrigrams(searchTrigrams, rank) VALUES ('hashsize', 33554432);
        INSERT INTO searchTrigrams(searchTrigrams, rank) VALUES ('automerge', 16);

        -- Durable notes; `scope` is a repository's common dir, or '' for global ones.
        CREATE TABLE memory (
            id INTEGER PRIMARY KEY,
            scope TEXT NOT NULL,
            text TEXT NOT NULL CHECK (length(text) > 0),
            tags TEXT NOT NULL DEFAULT '',
            sessionKey TEXT,
            messageId INTEGER,
            quote TEXT,
            createdAt REAL NOT NULL
        ) STRICT;
        CREATE INDEX memory_scope ON memory(scope, createdAt);
        CREATE VIRTUAL TABLE memoryWords USING fts5(
            text, tags, content='memory', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
        CREATE TRIGGER memory_insert AFTER INSERT ON memory BEGIN
            INSERT INTO memoryWords(rowid, text, tags) VALUES (new.id, new.text, new.tags);
        END;
        CREATE TRIGGER memory_delete AFTER DELETE ON memory BEGIN
            INSERT INTO memoryWords(memoryWords, rowid, text, tags) VALUES ('delete', old.id, old.text, old.tags);
        END;
        """

    /// Where each session's messages lie among the full-text index's ids: runs of consecutive ids
    /// (a file's new messages are written together, so a session holds a few). A search in one
    /// repository asks FTS5 for those ranges only, rather than testing every match's session.
    /// Spans are exact (a search skips the session test inside them, and ids are reused after the
    /// newest rows go): every delete of messages goes through `dropSearchDocuments`, which records them again.
    static let searchSpanSchema = """
        CREATE TABLE searchSpan (
            session INTEGER NOT NULL,
            firstId INTEGER NOT NULL,
            lastId INTEGER NOT NULL CHECK (lastId >= firstId),
            PRIMARY KEY (session, firstId)
        ) STRICT, WITHOUT ROWID;
        INSERT INTO searchSpan (session, firstId, lastId)
            SELECT session, min(id), max(id)
            FROM (SELECT session, id, id - row_number() OVER (PARTITION BY session ORDER BY id) AS run FROM searchFacts)
            GROUP BY session, run;
        -- The 'merge' command after a pass joins two segments of a level already (not four).
        INSERT INTO searchWords(searchWords, rank) VALUES ('usermerge', 2);
        INSERT INTO searchTrigrams(searchTrigrams, rank) VALUES ('usermerge', 2);
        """

    /// Commit ↔ session links `git lsm link` inferred from transcripts, with their evidence (JSON) and
    /// confidence (0–1). A re-run replaces the links of the sessions it examined.
    static let commitLinkSchema = """
        CREATE TABLE commitLink (
            repoCommonDir TEXT NOT NULL,
            commitId TEXT NOT NULL,
            sessionKey TEXT NOT NULL,
            confidence REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
            evidence TEXT NOT NULL,
            linkedAt REAL NOT NULL,
            PRIMARY KEY (repoCommonDir, commitId, sessionKey)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX commitLink_session ON commitLink(repoCommonDir, sessionKey);
        """

    /// What agent hooks (`git lsm agent-event`) report as it happens, ahead of the transcripts.
    static let activitySchema = """
        CREATE TABLE agentActivity (
            sessionKey TEXT PRIMARY KEY,
            agent TEXT NOT NULL,
            id TEXT NOT NULL,
            cwd TEXT,
            repoCommonDir TEXT,
            transcriptPath TEXT,
            lastEvent TEXT NOT NULL,
            lastEventAt REAL NOT NULL,
            endedAt REAL
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX agentActivity_repo ON agentActivity(repoCommonDir, lastEventAt);

        -- Files an agent hook reported edited, newest last.
        CREATE TABLE agentEdit (
            sessionKey TEXT NOT NULL,
            path TEXT NOT NULL,
            tool TEXT NOT NULL,
            editedAt REAL NOT NULL,
            PRIMARY KEY (sessionKey, path)
        ) STRICT, WITHOUT ROWID;
        """

    /// Transcript files, the sessions they describe, and the API calls and events read from them.
    /// Every row read from a file carries the file's id, so a file that shrank or was replaced can be
    /// dropped and read again.
    static let sessionSchema = """
        CREATE TABLE transcript (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            agent TEXT NOT NULL,
            device INTEGER NOT NULL,
            inode INTEGER NOT NULL,
            size INTEGER NOT NULL,
            modified REAL NOT NULL,
            parsedOffset INTEGER NOT NULL CHECK (parsedOffset >= 0),
            readerState TEXT NOT NULL,
            firstAt REAL,
            lines INTEGER NOT NULL DEFAULT 0,
            malformed INTEGER NOT NULL DEFAULT 0,
            error TEXT
        ) STRICT;

        CREATE TABLE transcriptSession (
            transcriptId INTEGER NOT NULL REFERENCES transcript(id) ON DELETE CASCADE,
            sessionKey TEXT NOT NULL,
            cwd TEXT,
            branch TEXT,
            agentVersion TEXT,
            title TEXT,
            parentId TEXT,
            firstAt REAL,
            lastAt REAL,
            model TEXT,
            contextTokens INTEGER,
            contextWindow INTEGER,
            PRIMARY KEY (transcriptId, sessionKey)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX transcriptSession_session ON transcriptSession(sessionKey);

        CREATE TABLE session (
            key TEXT PRIMARY KEY,
            agent TEXT NOT NULL,
            id TEXT NOT NULL,
            cwd TEXT,
            branch TEXT,
            agentVersion TEXT,
            title TEXT,
            parentId TEXT,
            startedAt REAL,
            lastActivityAt REAL,
            repoWorkDir TEXT,
            repoCommonDir TEXT,
            linkedCwd TEXT,
            -- Kept up to date with the calls and events, so listing sessions reads no call rows.
            lastModel TEXT,
            lastCallAt REAL,
            lastPromptTokens INTEGER,
            lastContextWindow INTEGER,
            compactions INTEGER NOT NULL DEFAULT 0,
            toolCalls INTEGER NOT NULL DEFAULT 0,
            toolErrors INTEGER NOT NULL DEFAULT 0,
            apiErrors INTEGER NOT NULL DEFAULT 0,
            interruptions INTEGER NOT NULL DEFAULT 0,
            -- What agents without API-call records report instead (Cursor, Copilot).
            reportedModel TEXT,
            reportedContextTokens INTEGER,
            reportedContextWindow INTEGER
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX session_repo ON session(repoCommonDir, lastActivityAt);
        CREATE INDEX session_activity ON session(lastActivityAt);

        -- One row per copy of an API call per file. `winner` marks the copy that counts: the largest
        -- total for the key, then a main-chain copy, then the first in file path and position order
        -- (an order of the copies themselves, so incremental and clean runs agree);
        -- and a side-chain copy never counts when its message id also appears on the main chain.
        CREATE TABLE call (
            transcriptId INTEGER NOT NULL REFERENCES transcript(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            sessionKey TEXT NOT NULL,
            messageId TEXT,
            model TEXT NOT NULL,
            timestamp REAL,
            input INTEGER NOT NULL CHECK (input >= 0),
            output INTEGER NOT NULL CHECK (output >= 0),
            cacheWrite5m INTEGER NOT NULL CHECK (cacheWrite5m >= 0),
            cacheWrite1h INTEGER NOT NULL CHECK (cacheWrite1h >= 0),
            cacheRead INTEGER NOT NULL CHECK (cacheRead >= 0),
            total INTEGER NOT NULL,
            sidechain INTEGER NOT NULL,
            position INTEGER NOT NULL,
            contextWindow INTEGER,
            contextTokens INTEGER,
            winner INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (transcriptId, key)
        ) STRICT, WITHOUT ROWID;
        -- Claude's keys are `<message id>|<request id>`: every copy of a message id is a range of this index.
        CREATE INDEX call_key ON call(key);
        CREATE INDEX call_session ON call(sessionKey, timestamp);

        -- Each session's usage of each model (split at prompts over 200,000 tokens), summed over the
        -- calls that count; rebuilt for a session whenever its calls change.
        CREATE TABLE sessionUsage (
            sessionKey TEXT NOT NULL,
            model TEXT NOT NULL,
            longContext INTEGER NOT NULL,
            calls INTEGER NOT NULL,
            input INTEGER NOT NULL,
            output INTEGER NOT NULL,
            cacheWrite5m INTEGER NOT NULL,
            cacheWrite1h INTEGER NOT NULL,
            cacheRead INTEGER NOT NULL,
            PRIMARY KEY (sessionKey, model, longContext)
        ) STRICT, WITHOUT ROWID;

        -- Sessions whose rows above must be rebuilt: written in the same transaction as the calls
        -- that changed them, so a killed indexer leaves the work to the next run rather than stale sums.
        CREATE TABLE staleSession (key TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;

        -- Prompts, compactions and errors, for timelines and health.
        CREATE TABLE event (
            id INTEGER PRIMARY KEY,
            transcriptId INTEGER NOT NULL REFERENCES transcript(id) ON DELETE CASCADE,
            sessionKey TEXT NOT NULL,
            key TEXT,
            kind TEXT NOT NULL,
            timestamp REAL,
            text TEXT NOT NULL,
            tokens INTEGER
        ) STRICT;
        CREATE UNIQUE INDEX event_key ON event(key) WHERE key IS NOT NULL;
        CREATE INDEX event_session ON event(sessionKey, timestamp);

        -- Tool calls, counted per session, tool and file.
        CREATE TABLE toolUse (
            transcriptId INTEGER NOT NULL REFERENCES transcript(id) ON DELETE CASCADE,
            sessionKey TEXT NOT NULL,
            tool TEXT NOT NULL,
            path TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (transcriptId, sessionKey, tool, path)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX toolUse_session ON toolUse(sessionKey);
        """
}
