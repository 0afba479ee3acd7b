import Foundation
import LsmCore

/// The agents whose MCP configuration `git lsm mcp install` writes, and where each keeps it.
public enum MCPClient: String, CaseIterable, Sendable, Encodable {
    case claude
    case codex
    case cursor

    /// Where a registration lives.
    public enum Scope: String, CaseIterable, Sendable, Encodable {
        /// This repository only (a file at its root, meant to be committed or kept local).
        case project
        /// Every project of this user.
        case user
    }

    /// The configuration file for `scope`: project files at the repository root, user files under the
    /// agent's home (`CLAUDE_CONFIG_DIR`, `CODEX_HOME`, else `HOME`).
    public func configurationPath(scope: Scope, projectRoot: String?, environment: [String: String]) throws(LsmError) -> String {
        let home = environment["HOME"] ?? NSHomeDirectory()
        switch (self, scope) {
        case (.claude, .user):
            return (environment["CLAUDE_CONFIG_DIR"].map { $0 + "/.claude.json" }) ?? home + "/.claude.json"
        case (.codex, .user):
            return (environment["CODEX_HOME"] ?? home + "/.codex") + "/config.toml"
        case (.cursor, .user):
            return home + "/.cursor/mcp.json"
        case (_, .project):
            guard let projectRoot else {
                throw LsmError(
                    .user, "a project registration needs a repository with a working tree",
                    hint: "run it in a repository, or pass --scope user")
            }
            switch self {
            case .claude: return projectRoot + "/.mcp.json"
            case .codex: return projectRoot + "/.codex/config.toml"
            case .cursor: return projectRoot + "/.cursor/mcp.json"
            }
        }
    }
}
