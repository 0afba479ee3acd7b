import Foundation
import LsmCore
import LsmStore
import MCP

/// Tools over the session index: `list_sessions`, `get_session`, `session_health`.
enum SessionTools {
    static let listSessions = ToolDefinition(
        name: "list_sessions", title: "List agent sessions",
        description:
            "Lists coding-agent sessions (Claude Code, Codex, Cursor, Copilot, Gemini) of this repository, most recent first, with tokens, cost, context fill, health and whether each is live.",
        parameters: [
            ToolParameter(name: "all", kind: .boolean, description: "true for the sessions of every repository, not only this one."),
            ToolParameter(
                name: "agent", kind: .string, description: "Only this agent's sessions.", choices: AgentKind.allCases.map(\.rawValue)),
            ToolParameter(
                name: "since", kind: .string, description: "Only sessions active since a date (2026-11-01) or for a while (24h, 7d, 2w)."),
            ToolParameter(name: "live", kind: .boolean, description: "true for only the sessions running now."),
            ToolParameter(name: "limit", kind: .integer, description: "At most this many sessions (default 20).", minimum: 1),
        ],
        readOnly: true
    ) { (arguments, state) throws(LsmError) in
        let workspace = state.workspace
        var filter = SessionFilter(agent: arguments.string("agent"))
        if let since = arguments.string("since") {
            filter.activeSince = try TimeFilter.parse(since, now: workspace.now()).timeIntervalSince1970
        }
        if arguments.bool("all") != true {
            guard let repository = try state.repositoryIfPresent() else {
                throw LsmError(
                    .user, "not in a git repository: \(workspace.directory)", hint: "pass all=true for the sessions of every repository")
            }
            filter.repoCommonDir = repository.commonDirectory
        }
        var sessions = try state.catalog().sessions(filter)
        if arguments.bool("live") == true { sessions = sessions.filter(\.live) }
        let limit = arguments.int("limit") ?? 20
        let shown = Array(sessions.prefix(limit))
        var text = shown.isEmpty ? "no agent sessions found" : shown.map(TextRendering.sessionLine).joined(separator: "\n")
        if sessions.count > shown.count { text += "\n… \(sessions.count - shown.count) more (raise limit)" }
        return try ToolOutput(shown, key: "sessions", extra: ["total": .int(sessions.count)], text: text)
    }

    static let getSession = ToolDefinition(
        name: "get_session", title: "Show one session",
        description:
            "Shows one session in detail: usage per model, cost, context fill, health, the files its tools touched and its latest timeline events.",
        parameters: [
            ToolParameter(name: "id", kind: .string, description: "The session's id, or a prefix of it that only it has.", required: true),
            ToolParameter(
                name: "timeline_limit", kind: .integer, description: "At most this many of the latest timeline events (default 100).",
                minimum: 0),
        ],
        readOnly: true
    ) { (arguments, state) throws(LsmError) in
        let catalog = try state.catalog()
        let (summary, full) = try catalog.session(matching: arguments.string("id") ?? "")
        var detail = full
        let limit = arguments.int("timeline_limit") ?? 100
        let events = full.events.count
        detail.events = Array(detail.events.suffix(limit))
        let text = TextRendering.sessionLine(summary) + "\n" + TextRendering.health(summary.health)
        return try ToolOutput(
            SessionDetailJSON(summary: summary, detail: detail, commits: SessionCommits(index: catalog.index).commits(of: summary)),
            extra: ["eventCount": .int(events)], text: text)
    }

    static let sessionHealth = ToolDefinition(
        name: "session_health", title: "Session health",
        description:
            "Scores a session's health 0-100 (context fill, compactions, errors, idle time, length) with what to do; without an id, the calling session's own health.",
        parameters: [
            ToolParameter(
                name: "id", kind: .string,
                description:
                    "The session's id or a unique prefix; leave out for your own session (found from the environment or this repository).")
        ],
        readOnly: true
    ) { (arguments, state) throws(LsmError) in
        let catalog = try state.catalog()
        let summary: SessionSummary
        let evidence: String
        if let id = arguments.string("id") {
            summary = try catalog.session(matching: id).0
            evidence = "argument"
        } else {
            let found = try CallingSession(workspace: state.workspace).identify(in: catalog, repository: try state.repositoryIfPresent())
            summary = found.0
            evidence = found.1.rawValue
        }
        let text = TextRendering.sessionLine(summary) + "\n" + TextRendering.health(summary.health)
        return try ToolOutput(SessionHealthJSON(summary), extra: ["identifiedBy": .string(evidence)], text: text)
    }
}
