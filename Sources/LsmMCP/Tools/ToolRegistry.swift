import LsmCore
import MCP

/// The tools the server offers, by name. Only tools whose capability exists are registered, so the
/// list never offers a tool that does not work; each new capability (search, memory, export) is one
/// more entry in `standard`.
struct ToolRegistry: Sendable {
    let tools: [ToolDefinition]

    /// Every tool lsm has today, then the predecessor's names where they map onto one.
    static let standard = ToolRegistry(tools: [
        RepositoryTools.repoStatus,
        SessionTools.listSessions,
        SessionTools.getSession,
        SessionTools.sessionHealth,
        CommentTools.listComments,
        CommentTools.addComment,
        CommentTools.replyComment,
        CommentTools.resolveComment,
        RepositoryTools.commitSessions,
        SearchTools.searchTranscripts,
        SearchTools.searchMemory,
        SearchTools.addMemory,
        ExportTools.exportSession,
        // llm-session-manager's names.
        SessionTools.listSessions.alias("find_session"),
        SessionTools.listSessions.alias("discover_sessions"),
    ])

    func tool(named name: String) -> ToolDefinition? {
        tools.first { $0.name == name }
    }
}
