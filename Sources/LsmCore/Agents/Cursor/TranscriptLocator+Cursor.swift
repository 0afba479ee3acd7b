import Foundation

extension TranscriptLocator {
    /// Cursor's `User` folders (holding `globalStorage/` and `workspaceStorage/`): `CURSOR_USER_DIR`,
    /// else those of `$XDG_CONFIG_HOME/Cursor/User` (or `~/.config/Cursor/User`, Linux) and
    /// `~/Library/Application Support/Cursor/User` (macOS) that exist, each once.
    public var cursorUserDirs: [String] {
        let candidates =
            environment["CURSOR_USER_DIR"].flatMap { $0.isEmpty ? nil : [$0] }
            ?? [
                (environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? home + "/.config") + "/Cursor/User",
                home + "/Library/Application Support/Cursor/User",
            ]
        var seen = Set<String>()
        return candidates.compactMap(DirectoryWalker.canonical).filter { seen.insert($0).inserted }
    }

    /// The Cursor CLI's folder (`chats/`, `projects/`): `CURSOR_CONFIG_DIR`, else `~/.cursor`.
    public var cursorConfigDir: String {
        environment["CURSOR_CONFIG_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.cursor"
    }

    /// Each `User/globalStorage/state.vscdb`. Its size and time also cover its `-wal` and every
    /// workspace database, so a change Cursor has only written to the WAL, or a conversation newly
    /// tied to a folder, reads it again.
    func cursorDatabaseFiles() -> [TranscriptFile] {
        cursorUserDirs.compactMap { userDir in
            let path = userDir + "/globalStorage/state.vscdb"
            guard var file = Self.cursorStat(path) else { return nil }
            var companions = [path + "-wal"]
            for (workspace, _) in CursorWorkspaces.databases(userDir: userDir) { companions += [workspace, workspace + "-wal"] }
            for companion in companions {
                guard let other = Self.cursorStat(companion) else { continue }
                if companion == path + "-wal" { file.size += other.size }
                file.modified = max(file.modified, other.modified)
            }
            return file
        }
    }

    /// The CLI's `projects/*/agent-transcripts/**/*.jsonl`.
    func cursorAgentTranscriptFiles() -> [TranscriptFile] {
        DirectoryWalker.files(under: cursorConfigDir + "/projects", matching: { $0.hasSuffix(".jsonl") })
            .filter { $0.path.contains("/agent-transcripts/") }
            .map { TranscriptFile(path: $0.path, agent: .cursor, stat: $0.stat) }
    }

    /// The CLI's `chats/<hash>/<session>/store.db`.
    func cursorChatStoreFiles() -> [TranscriptFile] {
        DirectoryWalker.files(under: cursorConfigDir + "/chats", matching: { $0 == "store.db" })
            .map { TranscriptFile(path: $0.path, agent: .cursor, stat: $0.stat) }
    }

    private static func cursorStat(_ path: String) -> TranscriptFile? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return TranscriptFile(path: path, agent: .cursor, stat: info)
    }
}
