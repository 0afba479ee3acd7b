import Foundation
import LsmStore

/// The folders agents keep transcripts in, by name. A transcript travels in a bundle as its root and
/// its path inside that root (`claude`, `projects/-home-ada-app/<session>.jsonl`), and an import puts
/// it at the same place under `$LSM_HOME/imported/<root>/`, where the same readers find it.
enum TranscriptRoot: String, CaseIterable, Sendable {
    case claude
    case codex
    case gemini
    /// VS Code's `User` folder (Copilot chat sessions).
    case vscode
    /// The Copilot CLI's folder.
    case copilot
    /// Cursor's `User` folder (the editor's databases).
    case cursorUser = "cursor-user"
    /// The Cursor CLI's folder.
    case cursor

    /// The folders directly inside the root that hold transcripts; a path's root is found by the
    /// last of these it passes through, so a bundle never depends on where the root was.
    private var markers: [String] {
        switch self {
        case .claude: ["projects"]
        case .codex: ["sessions", "archived_sessions"]
        case .gemini: ["tmp"]
        case .vscode: ["workspaceStorage", "globalStorage"]
        case .copilot: ["session-state"]
        case .cursorUser: ["globalStorage", "workspaceStorage"]
        case .cursor: ["projects", "chats"]
        }
    }

    /// The roots an agent's files can be in.
    private static func roots(of agent: AgentKind) -> [TranscriptRoot] {
        switch agent {
        case .claudeCode: [.claude]
        case .codex: [.codex]
        case .gemini: [.gemini]
        case .copilot: [.copilot, .vscode]
        case .cursor: [.cursor, .cursorUser]
        }
    }

    /// The root and the path inside it of `path`, one of `agent`'s files; `nil` when the path is in
    /// no folder the agent uses.
    static func locate(_ path: String, agent: AgentKind) -> (root: TranscriptRoot, relative: String)? {
        var best: (root: TranscriptRoot, relative: String, at: String.Index)?
        for root in roots(of: agent) {
            for marker in root.markers {
                guard let range = path.range(of: "/" + marker + "/", options: .backwards) else { continue }
                // The Copilot CLI keeps `session-state/<id>/events.jsonl`; VS Code never does.
                if root == .vscode, path.hasSuffix("/events.jsonl") { continue }
                if root == .cursor, marker == "projects", !path.contains("/agent-transcripts/") { continue }
                if best.map({ range.lowerBound > $0.at }) ?? true {
                    best = (root, String(path[path.index(after: range.lowerBound)...]), range.lowerBound)
                }
            }
        }
        return best.map { ($0.root, $0.relative) }
    }

    /// Where imported transcripts of this root live under `imported` (`$LSM_HOME/imported`).
    func folder(in imported: String) -> String {
        self == .gemini ? imported + "/gemini/.gemini" : imported + "/" + rawValue
    }

    /// `$LSM_HOME/imported`.
    static func importedFolder(_ environment: [String: String]) -> String {
        IndexLocation(environment: environment).home.appendingPathComponent("imported").path
    }

    /// A locator whose every agent root is a folder under `imported`, so imported transcripts are
    /// found, read and rebuilt like the agents' own.
    static func importedLocator(_ imported: String) -> TranscriptLocator {
        TranscriptLocator(
            environment: [
                "CLAUDE_CONFIG_DIR": imported + "/claude", "CODEX_HOME": imported + "/codex", "GEMINI_CLI_HOME": imported + "/gemini",
                "VSCODE_USER_DIR": imported + "/vscode", "COPILOT_HOME": imported + "/copilot",
                "CURSOR_USER_DIR": imported + "/cursor-user", "CURSOR_CONFIG_DIR": imported + "/cursor",
                "HOME": imported + "/.none", "XDG_CONFIG_HOME": imported + "/.none",
            ], includesImported: false)
    }
}
