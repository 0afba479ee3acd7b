import Foundation
import LsmCore
import LsmStore
import LsmTestSupport

/// Cursor's folders inside a `TranscriptTree`, at their Linux defaults under the tree's `HOME`.
extension TranscriptTree {
    var cursorUserDir: String { folder.child(".config/Cursor/User") }
    var cursorConfigDir: String { folder.child(".cursor") }

    /// Copies the real trimmed `state.vscdb` fixture in as Cursor's global database.
    @discardableResult
    func cursorFixtureDatabase() throws -> String {
        let path = cursorUserDir + "/globalStorage/state.vscdb"
        try FileManager.default.createDirectory(atPath: cursorUserDir + "/globalStorage", withIntermediateDirectories: true)
        let source = Self.fixtures.appendingPathComponent("cursor/state.vscdb.TRIMMED").path
        guard FileManager.default.fileExists(atPath: source) else { throw TestFailure("missing fixture \(source)") }
        try FileManager.default.copyItem(atPath: source, toPath: path)
        return path
    }

    /// A global database holding `rows` of `cursorDiskKV`.
    @discardableResult
    func cursorDatabase(_ rows: [(String, String)]) throws -> String {
        let path = cursorUserDir + "/globalStorage/state.vscdb"
        try FileManager.default.createDirectory(atPath: cursorUserDir + "/globalStorage", withIntermediateDirectories: true)
        let values = rows.map { "(\(SQLiteShell.quote($0.0)), \(SQLiteShell.quote($0.1)))" }.joined(separator: ", ")
        try SQLiteShell.execute(
            path,
            """
            CREATE TABLE IF NOT EXISTS ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB);
            CREATE TABLE IF NOT EXISTS cursorDiskKV (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB);
            INSERT INTO cursorDiskKV VALUES \(values);
            """)
        return path
    }

    /// A workspace folder `folderURL` whose database lists the conversations `composerIDs`.
    func cursorWorkspace(_ hash: String, folderURL: String, composerIDs: [String]) throws {
        let dir = cursorUserDir + "/workspaceStorage/" + hash
        try write(dir + "/workspace.json", #"{"folder":"\#(folderURL)"}"#)
        let list = composerIDs.map { #"{"composerId":"\#($0)","name":"x"}"# }.joined(separator: ",")
        try SQLiteShell.execute(
            dir + "/state.vscdb",
            """
            CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB);
            INSERT INTO ItemTable VALUES ('composer.composerData', \(SQLiteShell.quote(#"{"allComposers":[\#(list)]}"#)));
            """)
    }

    /// The session's timeline and tool uses, after refreshing the index.
    func cursorTimeline(_ id: String) throws -> SessionDetail {
        let workspace = Workspace(directory: folder.path, environment: environment)
        let (catalog, _) = try workspace.refreshedCatalog()
        return try catalog.session(matching: id).1
    }
}
