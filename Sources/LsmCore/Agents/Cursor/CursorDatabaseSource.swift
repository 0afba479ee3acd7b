import LsmStore

/// Cursor's conversations: the global `User/globalStorage/state.vscdb`, read whole whenever it (its
/// WAL, or a workspace database) changed, since Cursor rewrites rows in place.
struct CursorDatabaseSource: TranscriptSource {
    var agent: AgentKind { .cursor }
    var isAppendOnly: Bool { false }

    func reads(_ path: String) -> Bool { path.hasSuffix("/globalStorage/state.vscdb") }

    func files(_ locator: TranscriptLocator) -> [TranscriptFile] { locator.cursorDatabaseFiles() }

    /// Every record names its conversation; the database itself is no session.
    func fallbackSessionID(for path: String) -> String { path }

    func read(_ file: TranscriptFile, from offset: UInt64, state: inout ReaderState, into batch: inout TranscriptBatch)
        throws(TranscriptReadError) -> UInt64
    {
        let userDir = String(file.path.dropLast("/globalStorage/state.vscdb".count))
        var reader = CursorConversationReader(folders: CursorWorkspaces.folders(userDir: userDir))
        do {
            try reader.read(database: file.path, into: &batch)
        } catch {
            throw TranscriptReadError(path: file.path, message: error.reason)
        }
        return file.size
    }
}
