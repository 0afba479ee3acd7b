import Foundation
import LsmCore
import MCP

/// Tools about the repository: `repo_status` and `commit_sessions`.
enum RepositoryTools {
    static let repoStatus = ToolDefinition(
        name: "repo_status", title: "Repository status",
        description:
            "Shows this repository's branch and HEAD and its agent sessions (this branch's first), as git lsm status does.",
        parameters: [
            ToolParameter(name: "session_limit", kind: .integer, description: "At most this many sessions (default 5).", minimum: 0)
        ],
        readOnly: true
    ) { (arguments, state) throws(LsmError) in
        let repository = try state.repository()
        var status = try StatusReporter(workspace: state.workspace, threadCache: state.threadCache).status(
            of: repository, catalog: state.catalog())
        let count = status.sessions.count
        status.sessions = Array(status.sessions.prefix(arguments.int("session_limit") ?? 5))
        var text = "repository \(status.root ?? status.gitDir)\n"
        text += "branch \(status.head.branch ?? "(detached)")"
        if let commit = status.head.commit { text += ", HEAD \(commit.prefix(7)) \(status.head.subject ?? "")" }
        text += "\n\(count) agent session\(count == 1 ? "" : "s")"
        for session in status.sessions { text += "\n" + TextRendering.sessionLine(session) }
        return try ToolOutput(status, extra: ["sessionCount": .int(count)], text: text)
    }

    static let commitSessions = ToolDefinition(
        name: "commit_sessions", title: "Sessions behind a commit",
        description:
            "Lists the agent sessions behind a commit (from lsm's git note, LSM-Session trailers and inferred links), with their tokens, cost and files touched.",
        parameters: [
            ToolParameter(name: "commit", kind: .string, description: "A commit, branch or tag (default HEAD).")
        ],
        readOnly: true
    ) { (arguments, state) throws(LsmError) in
        let revision = arguments.string("commit") ?? "HEAD"
        guard !revision.contains(".."), !revision.hasPrefix("^"), !revision.isEmpty else {
            throw LsmError(.user, "'\(revision)' is not one commit", hint: "name one commit, branch or tag, e.g. HEAD~1")
        }
        let repository = try state.repository()
        let report = try CommitLog(workspace: state.workspace).log(range: revision, limit: 1, in: repository)
        guard let entry = report.commits.first else {
            throw LsmError(.user, "no commit '\(revision)'", hint: "name a commit, branch or tag, e.g. HEAD~1")
        }
        var text = "\(entry.commit.prefix(7)) \(entry.subject)\n"
        text +=
            entry.sessions.isEmpty
            ? "no agent sessions recorded for this commit"
            : entry.sessions.map { "\($0.agent) \($0.id) (\($0.source.rawValue))\($0.model.map { ", " + $0 } ?? "")" }.joined(
                separator: "\n")
        return try ToolOutput(entry, text: text)
    }
}
