/// The coding agents lsm reads, by the name `--agent` and `--json` use.
public enum AgentKind: String, CaseIterable, Sendable, Codable {
    case claudeCode = "claude-code"
    case codex = "codex"
    case cursor = "cursor"
    case gemini = "gemini"
    case copilot = "copilot"

    /// Whether the agent's records carry billed token usage; when they do not, a session's usage
    /// and cost are `null`, never estimated.
    public var recordsUsage: Bool {
        switch self {
        case .claudeCode, .codex, .gemini: true
        // Copilot records usage only in some VS Code builds (`requests[].usage`); a session with
        // calls still shows its usage.
        case .copilot: false
        case .cursor: false
        }
    }

    /// The agent's name as people write it.
    public var displayName: String {
        switch self {
        case .claudeCode: "Claude Code"
        case .codex: "Codex"
        case .cursor: "Cursor"
        case .gemini: "Gemini CLI"
        case .copilot: "GitHub Copilot"
        }
    }
}
