import Foundation
import LsmCore
import MCP

/// Tools over code comments kept in git: `list_comments`, `add_comment`, `reply_comment`, `resolve_comment`.
enum CommentTools {
    static let listComments = ToolDefinition(
        name: "list_comments", title: "List code comments",
        description:
            "Lists review comment threads on a file, a folder or the whole repository, each at its code's current location with its state (current, moved, changed, outdated, orphaned); call it before changing a file.",
        parameters: [
            ToolParameter(
                name: "path", kind: .string, description: "A file or folder, relative to the repository root; leave out for all."),
            ToolParameter(name: "all", kind: .boolean, description: "true to include resolved threads and those whose code is gone."),
            ToolParameter(name: "rev", kind: .string, description: "Locate threads in this revision instead of the working tree."),
        ],
        readOnly: true
    ) { (arguments, state) throws(LsmError) in
        let repository = try state.repository()
        let threads = try CommentBoard(workspace: state.workspace(atRootOf: repository), threadCache: state.threadCache).threads(
            path: arguments.string("path"), all: arguments.bool("all") ?? false, revision: arguments.string("rev"), in: repository)
        let text = threads.isEmpty ? "no open comment threads" : threads.map(TextRendering.thread).joined(separator: "\n")
        return try ToolOutput(threads, key: "threads", text: text)
    }

    static let addComment = ToolDefinition(
        name: "add_comment", title: "Comment on lines",
        description:
            "Starts a review comment thread on lines of a file; the thread is stored in git and follows the code through edits, moves and renames.",
        parameters: [
            ToolParameter(name: "path", kind: .string, description: "The file, relative to the repository root.", required: true),
            ToolParameter(name: "line", kind: .integer, description: "The first line (1-based).", required: true, minimum: 1),
            ToolParameter(name: "end_line", kind: .integer, description: "The last line (default: line).", minimum: 1),
            ToolParameter(name: "body", kind: .string, description: "The comment text (Markdown).", required: true),
            ToolParameter(name: "rev", kind: .string, description: "Anchor to the file at this revision instead of the working tree."),
        ],
        readOnly: false
    ) { (arguments, state) throws(LsmError) in
        let path = arguments.string("path") ?? ""
        let line = arguments.int("line") ?? 1
        let end = arguments.int("end_line") ?? line
        guard end >= line else {
            throw LsmError(.user, "end_line \(end) is before line \(line)", hint: "give end_line at or after line")
        }
        let repository = try state.repository()
        let thread = try CommentBoard(workspace: state.workspace(atRootOf: repository)).comment(
            on: "\(path):\(line)\(end == line ? "" : "-\(end)")", body: arguments.string("body") ?? "",
            revision: arguments.string("rev"), in: repository)
        return try ToolOutput(thread, text: "started thread \(thread.id.prefix(8)) on \(TextRendering.thread(thread))")
    }

    static let replyComment = ToolDefinition(
        name: "reply_comment", title: "Reply to a comment thread",
        description: "Adds a reply to a review comment thread.",
        parameters: [
            ToolParameter(
                name: "thread", kind: .string, description: "The thread's id or a unique prefix (list_comments shows them).", required: true
            ),
            ToolParameter(name: "body", kind: .string, description: "The reply (Markdown).", required: true),
        ],
        readOnly: false
    ) { (arguments, state) throws(LsmError) in
        let repository = try state.repository()
        let (thread, comment) = try CommentBoard(workspace: state.workspace(atRootOf: repository)).reply(
            to: arguments.string("thread") ?? "", body: arguments.string("body") ?? "", in: repository)
        return ToolOutput(
            structured: ["thread": .string(thread), "comment": .string(comment)],
            text: "replied to thread \(thread.prefix(8)) (comment \(comment.prefix(8)))")
    }

    static let resolveComment = ToolDefinition(
        name: "resolve_comment", title: "Resolve a comment thread",
        description: "Marks a review comment thread resolved (or reopens it with resolved=false); doing it twice is harmless.",
        parameters: [
            ToolParameter(
                name: "thread", kind: .string, description: "The thread's id or a unique prefix (list_comments shows them).", required: true
            ),
            ToolParameter(name: "resolved", kind: .boolean, description: "false to reopen the thread (default true)."),
        ],
        readOnly: false
    ) { (arguments, state) throws(LsmError) in
        let resolved = arguments.bool("resolved") ?? true
        let repository = try state.repository()
        let thread = try CommentBoard(workspace: state.workspace(atRootOf: repository)).setResolved(
            resolved, threadPrefix: arguments.string("thread") ?? "", in: repository)
        return ToolOutput(
            structured: ["thread": .string(thread), "resolved": .bool(resolved)],
            text: "thread \(thread.prefix(8)) \(resolved ? "resolved" : "reopened")")
    }
}
