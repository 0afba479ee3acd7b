/// The coding agents lsm reads, by the name `--agent` and `--json` use.
public enum AgentKind: String, CaseIterable, Sendable, Codable {
    case claudeCode = "claude-code"
    case codex = "codex"

    /// The agent's name as people write it.
    public var displayName: String {
        switch self {
        case .claudeCode: "Claude Code"
        case .codex: "Codex"
        }
    }
}
