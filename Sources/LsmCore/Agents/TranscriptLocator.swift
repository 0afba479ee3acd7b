import Foundation

/// Where each agent keeps its transcripts, from the environment (every root can be overridden, see
/// docs/agents.md).
public struct TranscriptLocator: Sendable {
    public let environment: [String: String]
    /// Whether `transcriptFiles()` also lists the sessions `git lsm import` restored under
    /// `$LSM_HOME/imported`.
    let includesImported: Bool

    public init(environment: [String: String]) {
        self.init(environment: environment, includesImported: true)
    }

    init(environment: [String: String], includesImported: Bool) {
        self.environment = environment
        self.includesImported = includesImported
    }

    var home: String {
        environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
    }

    /// Claude Code config folders: `CLAUDE_CONFIG_DIR` (comma-separated; a value ending in
    /// `/projects` means its parent), else both `$XDG_CONFIG_HOME/claude` (or `~/.config/claude`) and
    /// `~/.claude`. Folders that are the same after resolving links count once.
    public var claudeRoots: [String] {
        let configured = environment["CLAUDE_CONFIG_DIR"].map { value in
            value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let roots =
            configured?.map { $0.hasSuffix("/projects") ? String($0.dropLast("/projects".count)) : $0 }
            ?? [
                (environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? home + "/.config") + "/claude",
                home + "/.claude",
            ]
        var seen = Set<String>()
        return roots.compactMap(DirectoryWalker.canonical).filter { seen.insert($0).inserted }
    }

    /// Codex's home: `CODEX_HOME`, else `~/.codex`.
    public var codexRoot: String { environment["CODEX_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.codex" }

    /// Every transcript file of every agent lsm reads, with its current size and time.
    public func transcriptFiles() -> [TranscriptFile] {
        let own = TranscriptSources.all.flatMap { $0.files(self) }
        guard includesImported else { return own }
        let imported = TranscriptRoot.importedFolder(environment)
        guard FileManager.default.fileExists(atPath: imported) else { return own }
        return own + TranscriptRoot.importedLocator(imported).transcriptFiles()
    }

    func claudeFiles() -> [TranscriptFile] {
        struct Identity: Hashable {
            let device: UInt64
            let inode: UInt64
        }
        var seen = Set<Identity>()
        var files: [TranscriptFile] = []
        for root in claudeRoots {
            for (path, info) in DirectoryWalker.files(under: root + "/projects", matching: { $0.hasSuffix(".jsonl") }) {
                guard seen.insert(Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))).inserted else { continue }
                files.append(TranscriptFile(path: path, agent: .claudeCode, stat: info))
            }
        }
        return files
    }

    /// A subagent file `<session>/subagents/agent-<id>.jsonl` belongs to `<session>`; any other file
    /// is named after its session.
    static func claudeSessionID(_ path: String) -> String {
        let components = path.split(separator: "/")
        if let index = components.lastIndex(of: "subagents"), index > 0 { return String(components[index - 1]) }
        let name = components.last.map(String.init) ?? path
        return name.hasSuffix(".jsonl") ? String(name.dropLast(6)) : name
    }

    func codexFiles() -> [TranscriptFile] {
        let isRollout: @Sendable (String) -> Bool = { $0.hasPrefix("rollout-") && $0.hasSuffix(".jsonl") }
        let live = DirectoryWalker.files(under: codexRoot + "/sessions", matching: isRollout)
        let liveNames = Set(live.map { Self.fileName($0.path) })
        // A rollout in both places counts once: the copy under sessions/ wins.
        let archived = DirectoryWalker.files(under: codexRoot + "/archived_sessions", matching: isRollout)
            .filter { !liveNames.contains(Self.fileName($0.path)) }
        return (live + archived).map { path, info in
            TranscriptFile(path: path, agent: .codex, stat: info)
        }
    }

    /// The last component of `path` (without Foundation's path bridging, which costs a warm `status`).
    private static func fileName(_ path: String) -> Substring {
        path.lastIndex(of: "/").map { path[path.index(after: $0)...] } ?? path[...]
    }

    /// `rollout-2026-05-13T09-00-00-<id>.jsonl` is session `<id>` until its `session_meta` says
    /// otherwise.
    static func codexSessionID(_ path: String) -> String {
        var name = (path as NSString).lastPathComponent
        if name.hasSuffix(".jsonl") { name.removeLast(6) }
        let prefix = "rollout-2026-05-13T09-00-00-".count
        return name.count > prefix ? String(name.dropFirst(prefix)) : name
    }
}
