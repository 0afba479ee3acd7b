import Foundation
import LsmCore
import LsmStore
import MCP

/// The prompts: `session_health_check` (is this session still fit to work in?) and `review_context`
/// (open comments and recent sessions for a file, before changing it).
enum PromptCatalog {
    /// How far back `review_context` looks for commits whose sessions touched the file.
    static let reviewHistoryDepth = 200

    static let prompts = [
        Prompt(
            name: "session_health_check", title: "Session health check",
            description: "Checks a session's health (yours by default) and asks what to do about it: carry on, compact, or start fresh.",
            arguments: [
                .init(name: "session", description: "A session id or unique prefix; leave out for the calling session.", required: false)
            ]),
        Prompt(
            name: "review_context", title: "Review context for a file",
            description: "Gathers the open review comments on a file and the agent sessions that recently changed it, before you edit it.",
            arguments: [.init(name: "path", description: "The file, relative to the repository root.", required: true)]),
    ]

    static func get(_ name: String, arguments: [String: String], state: ServerState) throws(LsmError) -> GetPrompt.Result? {
        switch name {
        case "session_health_check": return try healthCheck(session: arguments["session"], state: state)
        case "review_context":
            guard let path = arguments["path"], !path.isEmpty else {
                throw LsmError(.user, "review_context needs the argument 'path'", hint: "name a file relative to the repository root")
            }
            return try reviewContext(path: path, state: state)
        default: return nil
        }
    }

    private static func healthCheck(session: String?, state: ServerState) throws(LsmError) -> GetPrompt.Result {
        let catalog = try state.catalog()
        let summary: SessionSummary
        if let session {
            summary = try catalog.session(matching: session).0
        } else {
            summary = try CallingSession(workspace: state.workspace).identify(in: catalog, repository: state.repositoryIfPresent()).0
        }
        let text = """
            Here is the health of the coding-agent session \(summary.id) as lsm measures it from its transcript:

            \(TextRendering.sessionLine(summary))
            \(TextRendering.health(summary.health))

            Health JSON: \(try ValueEncoding.json(SessionHealthJSON(summary)))

            Given this, should the session carry on as it is, compact its context now, or hand over to a fresh \
            session? Say which, why, and if handing over, what the next session needs to know.
            """
        return GetPrompt.Result(
            description: "Health of session \(summary.id): \(summary.health.score) \(summary.health.status.rawValue)",
            messages: [.user(.text(text: text))])
    }

    private static func reviewContext(path: String, state: ServerState) throws(LsmError) -> GetPrompt.Result {
        let repository = try state.repository()
        let workspace = state.workspace(atRootOf: repository)
        let threads = try CommentBoard(workspace: workspace).threads(path: path, all: false, revision: nil, in: repository)
        var touched: [String] = []
        if (try? repository.head().commit) != nil {
            let log = try CommitLog(workspace: workspace).log(range: nil, limit: reviewHistoryDepth, in: repository)
            for entry in log.commits {
                for session in entry.sessions where session.filesTouched.contains(path) {
                    touched.append("- \(entry.commit.prefix(7)) \(entry.subject): \(session.agent) \(session.id)")
                }
            }
        }
        let recent = try state.catalog().sessions(SessionFilter(repoCommonDir: repository.commonDirectory)).prefix(5)
        var text = "Context for changing \(path) in this repository.\n\n## Open review comments\n"
        text += threads.isEmpty ? "none\n" : threads.map { TextRendering.thread($0) + "\n" + commentBodies($0) }.joined(separator: "\n")
        text += "\n## Commits whose agent sessions touched it (last \(reviewHistoryDepth) commits)\n"
        text += touched.isEmpty ? "none recorded\n" : touched.prefix(20).joined(separator: "\n") + "\n"
        text += "\n## Recent agent sessions in this repository\n"
        text += recent.isEmpty ? "none\n" : recent.map(TextRendering.sessionLine).joined(separator: "\n") + "\n"
        text += "\nTake the open comments into account before editing \(path); reply to or resolve the ones your change answers."
        return GetPrompt.Result(
            description: "\(threads.count) open thread\(threads.count == 1 ? "" : "s") on \(path)", messages: [.user(.text(text: text))])
    }

    private static func commentBodies(_ thread: CommentBoard.ThreadView) -> String {
        thread.comments.filter { !$0.deleted }.map { "  \($0.author): \($0.body.replacingOccurrences(of: "\n", with: "\n  "))" }
            .joined(separator: "\n")
    }
}
