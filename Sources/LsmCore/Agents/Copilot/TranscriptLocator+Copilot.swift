import Foundation

extension TranscriptLocator {
    /// VS Code's `User` folders: `VSCODE_USER_DIR` (comma-separated), else those of VS Code and VS
    /// Code Insiders that exist: `$XDG_CONFIG_HOME/Code/User` (or `~/.config/Code/User`) on Linux,
    /// `~/Library/Application Support/Code/User` on macOS.
    public var vscodeUserRoots: [String] {
        if let configured = environment["VSCODE_USER_DIR"] {
            let roots = configured.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return Self.unique(roots)
        }
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? homeFolder + "/.config"
        let bases = [config, homeFolder + "/Library/Application Support"]
        return Self.unique(bases.flatMap { base in ["Code", "Code - Insiders"].map { base + "/" + $0 + "/User" } })
    }

    /// The Copilot CLI's folder: `COPILOT_HOME`, else `~/.copilot`.
    public var copilotHome: String {
        environment["COPILOT_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? homeFolder + "/.copilot"
    }

    /// Existing folders among `paths`, each once after resolving links.
    private static func unique(_ paths: [String]) -> [String] {
        var seen = Set<String>()
        return paths.compactMap(DirectoryWalker.canonical).filter { seen.insert($0).inserted }
    }

    /// VS Code chat sessions: `workspaceStorage/*/chatSessions/*.json[l]`, and the global
    /// `emptyWindowChatSessions/` and `transferredChatSessions/`. A `.json` session beside a `.jsonl`
    /// of the same name counts once, as the `.jsonl` (VS Code's newer format).
    func copilotChatFiles() -> [TranscriptFile] {
        var folders: [String] = []
        for user in vscodeUserRoots {
            let storage = user + "/workspaceStorage"
            let workspaces = (try? FileManager.default.contentsOfDirectory(atPath: storage)) ?? []
            folders += workspaces.sorted().map { storage + "/" + $0 + "/chatSessions" }
            folders += ["emptyWindowChatSessions", "transferredChatSessions"].map { user + "/globalStorage/" + $0 }
        }
        var files: [TranscriptFile] = []
        for folder in folders {
            let found = Self.entries(of: folder) { $0.hasSuffix(".json") || $0.hasSuffix(".jsonl") }
            let paths = Set(found.map(\.path))
            for (path, info) in found where !(path.hasSuffix(".json") && paths.contains(path + "l")) {
                files.append(TranscriptFile(path: path, agent: .copilot, stat: info))
            }
        }
        return files
    }

    /// The Copilot CLI's sessions: `session-state/<id>/events.jsonl`.
    func copilotCLIFiles() -> [TranscriptFile] {
        let sessions = copilotHome + "/session-state"
        var files: [TranscriptFile] = []
        for session in ((try? FileManager.default.contentsOfDirectory(atPath: sessions)) ?? []).sorted() {
            for (path, info) in Self.entries(of: sessions + "/" + session, matching: { $0 == "events.jsonl" }) {
                files.append(TranscriptFile(path: path, agent: .copilot, stat: info))
            }
        }
        return files
    }

    /// Files directly in `folder` (not below it) whose name passes `matches`.
    private static func entries(of folder: String, matching matches: @Sendable (String) -> Bool) -> [(path: String, stat: stat)] {
        DirectoryWalker.files(under: folder, matching: matches).filter { ($0.path as NSString).deletingLastPathComponent == folder }
    }

    /// A CLI session is named by its folder (`session-state/<id>/events.jsonl`), a VS Code session by
    /// its file's stem, until the records say otherwise.
    static func copilotSessionID(_ path: String) -> String {
        let name = (path as NSString).lastPathComponent
        if name == "events.jsonl" { return ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent }
        for suffix in [".jsonl", ".json"] where name.hasSuffix(suffix) { return String(name.dropLast(suffix.count)) }
        return name
    }

    /// The folder a VS Code workspace storage belongs to: `workspace.json`'s `folder` URI beside the
    /// `chatSessions/` folder, percent-decoded; `nil` for global sessions and multi-root workspaces.
    static func vscodeWorkspaceFolder(ofChatFile path: String) -> String? {
        let storage = ((path as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        guard let data = FileManager.default.contents(atPath: storage + "/workspace.json"),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let folder = object["folder"] as? String, let url = URL(string: folder), url.isFileURL
        else { return nil }
        return url.path
    }
}
