import Foundation
import LsmStore
import LsmTestSupport
import Testing

@Suite struct ForeignDatabaseTests {
    /// A database shaped like Cursor's `state.vscdb`, in rollback-journal mode unless `wal`.
    static func cursorLike(_ folder: TemporaryDirectory, wal: Bool = false) throws -> String {
        let path = folder.child("state.vscdb")
        try SQLiteShell.execute(
            path,
            """
            \(wal ? "PRAGMA journal_mode = WAL;" : "")
            CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB);
            CREATE TABLE cursorDiskKV (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB);
            INSERT INTO cursorDiskKV VALUES ('composerData:a', '{"composerId":"a"}'), ('composerData:b', CAST('{"composerId":"b"}' AS BLOB)),
                ('bubbleId:a:1', '{"type":1}'), ('composerDatum', 'x'), ('composerData_x', 'y'), ('composerData:n', NULL);
            INSERT INTO ItemTable VALUES ('composer.composerData', '{"allComposers":[]}');
            """)
        return path
    }

    static func rows(_ database: ForeignDatabase, prefix: String) throws -> [String: String] {
        var rows: [String: String] = [:]
        try database.forEachRow(in: "cursorDiskKV", keyPrefix: prefix) { key, value in rows[key] = String(decoding: value, as: UTF8.self) }
        return rows
    }

    @Test func givesTheRowsWhoseKeyStartsWithThePrefixAsTextOrBlob() throws {
        let folder = try TemporaryDirectory()
        let database = try ForeignDatabase(path: try Self.cursorLike(folder))

        let rows = try Self.rows(database, prefix: "composerData:")

        #expect(rows == ["composerData:a": #"{"composerId":"a"}"#, "composerData:b": #"{"composerId":"b"}"#])
        #expect(try database.value(in: "ItemTable", key: "composer.composerData") == Data(#"{"allComposers":[]}"#.utf8))
        #expect(try database.value(in: "ItemTable", key: "missing") == nil)
        #expect(try database.hasTable("cursorDiskKV"))
        #expect(try !database.hasTable("blobs"))
        #expect(!database.readsCopy)
    }

    @Test func readingLeavesTheFileByteForByteUnchanged() throws {
        let folder = try TemporaryDirectory()
        let path = try Self.cursorLike(folder)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let modifiedBefore = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date

        do {
            let database = try ForeignDatabase(path: path)
            _ = try Self.rows(database, prefix: "")
            _ = try database.value(in: "ItemTable", key: "composer.composerData")
        }

        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date == modifiedBefore)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["state.vscdb"])
    }

    @Test func readsRowsStillOnlyInTheWriteAheadLogWithoutCheckpointing() throws {
        let folder = try TemporaryDirectory()
        let path = try Self.cursorLike(folder, wal: true)
        // Given a writer that keeps its connection open, so its last commit stays in the WAL.
        let writer = try SQLiteShell(path)
        defer { writer.close() }
        try writer.run("PRAGMA wal_autocheckpoint = 0; INSERT INTO cursorDiskKV VALUES ('composerData:new', '{}');")
        let walBefore = try Data(contentsOf: URL(fileURLWithPath: path + "-wal"))
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        let rows = try Self.rows(try ForeignDatabase(path: path), prefix: "composerData:")

        #expect(rows["composerData:new"] == "{}")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path + "-wal")) == walBefore)
    }

    @Test func readsACopyWhenAnotherConnectionHoldsAnExclusiveLock() throws {
        let folder = try TemporaryDirectory()
        let path = try Self.cursorLike(folder)
        // Given another process inside an exclusive transaction with an uncommitted write.
        let owner = try SQLiteShell(path)
        defer { owner.close() }
        try owner.run("BEGIN EXCLUSIVE; INSERT INTO cursorDiskKV VALUES ('composerData:uncommitted', '{}');")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        let database = try ForeignDatabase(path: path)
        let rows = try Self.rows(database, prefix: "composerData:")

        // Then the committed rows are read from a copy, and the original is untouched.
        #expect(database.readsCopy)
        #expect(Set(rows.keys) == ["composerData:a", "composerData:b"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func aFileThatIsNotADatabaseIsAStoreError() throws {
        let folder = try TemporaryDirectory()
        let path = folder.child("state.vscdb")
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))

        #expect(throws: StoreError.self) {
            let database = try ForeignDatabase(path: path)
            _ = try Self.rows(database, prefix: "")
        }
        let error = #expect(throws: StoreError.self) { try ForeignDatabase(path: folder.child("missing.vscdb")) }
        #expect(error?.kind == .cannotOpen)
        #expect(!FileManager.default.fileExists(atPath: folder.child("missing.vscdb")))
    }
}
