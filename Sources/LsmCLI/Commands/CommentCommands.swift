import ArgumentParser
import Foundation
import LsmCore

/// `git lsm comment <path>:<line>[-<end>] <text>`: starts a thread.
struct CommentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "comment",
        abstract: "Start a comment thread on lines of a file.",
        discussion: """
            The thread is anchored to the file's blob, the lines and three lines of context on each side, \
            and follows the code through edits, moves and renames (git lsm comments shows where it is \
            now). It is stored in git under refs/lsm/comments/ and shared with git lsm sync. Lines are \
            1-based; add :<column> after a line to anchor columns too (src/a.py:12:5-12:30). Prints the \
            new thread's id.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Where: <path>:<line> or <path>:<line>-<end>, the path relative to here.", valueName: "location"))
    var location: String

    @Argument(help: "The comment (else -m, else your editor).")
    var text: [String] = []

    @Option(name: [.customShort("m"), .customLong("message")], help: "The comment.")
    var message: String?

    @Option(help: ArgumentHelp("Anchor to the file at this revision instead of the working tree.", valueName: "rev"))
    var rev: String?

    func run() async throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let repository = try workspace.openRepository()
        let body = try MessageEditor.text(
            arguments: text, message: message, template: "\n# Comment on \(location). Lines starting with # are ignored.",
            context: context, workspace: workspace, repository: repository)
        let thread = try CommentBoard(workspace: workspace).comment(on: location, body: body, revision: rev, in: repository)
        if global.json {
            context.console.line(try JSONOutput.encode(thread))
        } else {
            context.console.line(String(thread.id.prefix(8)))
        }
    }
}

/// `git lsm comments [<path>]`: threads where their code is now.
struct CommentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "comments",
        abstract: "List comment threads where their code is now.",
        discussion: """
            Each thread is shown at its code in the working tree (or --rev) with a state: current (the \
            code is there, unchanged), moved (unchanged, somewhere else), changed (edited in place), \
            outdated (deleted; shown at the nearest line), orphaned (the file is gone). Without --all, \
            only open threads whose code is still there.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Only threads on this file or folder.")
    var path: String?

    @Flag(help: "Also resolved threads, deleted ones, and those whose code is gone.")
    var all = false

    @Option(help: ArgumentHelp("Relocate to this revision instead of the working tree.", valueName: "rev"))
    var rev: String?

    func run() async throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let repository = try workspace.openRepository()
        let settings = try Settings.load(in: workspace, repository: repository)
        let threads = try CommentBoard(workspace: workspace).threads(path: path, all: all, revision: rev, in: repository)
        if global.json {
            context.console.line(try JSONOutput.encode(threads))
            return
        }
        if threads.isEmpty {
            context.console.line(all ? "no comment threads" : "no open comment threads (git lsm comments --all shows every thread)")
            return
        }
        let style = global.style(in: context, settings: settings)
        var currentPath: String?
        for thread in threads {
            let path = thread.path ?? thread.anchor.path
            if path != currentPath {
                if currentPath != nil { context.console.line() }
                context.console.line(style.bold(path))
                currentPath = path
            }
            CommentsView.render(thread, style: style, now: workspace.now(), console: context.console)
        }
    }
}

enum CommentsView {
    static func render(_ thread: CommentBoard.ThreadView, style: Style, now: Date, console: Console) {
        let lines: String
        if let line = thread.line, let end = thread.endLine {
            lines = line == end ? "line \(line)" : "lines \(line)-\(end)"
        } else {
            lines = "was \(thread.anchor.path):\(thread.anchor.line)"
        }
        let state: String
        switch thread.state {
        case .current: state = style.green("current")
        case .moved: state = style.cyan("moved from \(thread.anchor.path):\(thread.anchor.line)")
        case .changed: state = style.yellow("changed")
        case .outdated: state = style.red("outdated: the code was deleted")
        case .orphaned: state = style.red("orphaned: the file is gone")
        }
        let resolved = thread.resolved ? "  " + style.dim("resolved") : ""
        console.line("  \(style.yellow(String(thread.id.prefix(8))))  \(lines)  \(state)\(resolved)")
        let first = thread.line ?? thread.anchor.line
        for (offset, code) in thread.code.prefix(5).enumerated() {
            console.line(style.dim("    \(String(first + offset).leftPadded(to: 5)) │ ") + code)
        }
        if thread.code.count > 5 { console.line(style.dim("          │ … \(thread.code.count - 5) more lines")) }
        for (index, comment) in thread.comments.enumerated() {
            let indent = index == 0 ? "    " : "      ↳ "
            let body = comment.deleted ? style.dim("(deleted)") : comment.body.replacingOccurrences(of: "\n", with: "\n" + indent)
            let edited = comment.editedAt != nil ? style.dim(" (edited)") : ""
            let reactions = comment.reactions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.count)" }.joined(separator: "  ")
            console.line(
                "\(indent)\(style.bold(comment.author)) \(style.dim(Formatting.age(comment.createdAt, now: now)))\(edited)  "
                    + style.dim(String(comment.id.prefix(8))))
            console.line("\(indent)\(body)\(reactions.isEmpty ? "" : "   " + reactions)")
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

/// `git lsm reply <thread> <text>`.
struct ReplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reply", abstract: "Reply to a comment thread.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The thread's id (or a unique prefix).")
    var thread: String

    @Argument(help: "The reply (else -m, else your editor).")
    var text: [String] = []

    @Option(name: [.customShort("m"), .customLong("message")], help: "The reply.")
    var message: String?

    func run() async throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let repository = try workspace.openRepository()
        let body = try MessageEditor.text(
            arguments: text, message: message, template: "\n# Reply to \(thread). Lines starting with # are ignored.", context: context,
            workspace: workspace, repository: repository)
        let reply = try CommentBoard(workspace: workspace).reply(to: thread, body: body, in: repository)
        context.console.line(
            global.json ? try JSONOutput.encode(["thread": reply.thread, "comment": reply.comment]) : String(reply.comment.prefix(8)))
    }
}

/// `git lsm resolve <thread>` and `git lsm reopen <thread>`.
struct ResolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resolve", abstract: "Mark a comment thread resolved.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The thread's id (or a unique prefix).")
    var thread: String

    func run() async throws {
        try ResolveCommand.set(true, thread: thread, global: global)
    }

    static func set(_ resolved: Bool, thread: String, global: GlobalOptions) throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let repository = try workspace.openRepository()
        let id = try CommentBoard(workspace: workspace).setResolved(resolved, threadPrefix: thread, in: repository)
        context.console.line(
            global.json
                ? try JSONOutput.encode(["thread": id, "resolved": resolved ? "true" : "false"])
                : "\(String(id.prefix(8))) \(resolved ? "resolved" : "reopened")")
    }
}

struct ReopenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reopen", abstract: "Reopen a resolved comment thread.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The thread's id (or a unique prefix).")
    var thread: String

    func run() async throws {
        try ResolveCommand.set(false, thread: thread, global: global)
    }
}

/// `git lsm react <thread|comment> <emoji> [--remove]`.
struct ReactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "react", abstract: "React to a comment with an emoji (a thread id reacts to its first comment).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The comment's or thread's id (or a unique prefix).")
    var target: String

    @Argument(help: "The reaction, e.g. 👍 or +1.")
    var emoji: String

    @Flag(help: "Take your reaction back.")
    var remove = false

    func run() async throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let repository = try workspace.openRepository()
        let id = try CommentBoard(workspace: workspace).react(emoji, to: target, remove: remove, in: repository)
        if global.json {
            context.console.line(try JSONOutput.encode(["comment": id, "emoji": emoji, "removed": remove ? "true" : "false"]))
        }
    }
}

/// `git lsm edit <comment> <text>`.
struct EditCommentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "edit", abstract: "Change the text of one of your comments.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The comment's id (or a unique prefix; a thread id means its first comment).")
    var comment: String

    @Argument(help: "The new text (else -m, else your editor).")
    var text: [String] = []

    @Option(name: [.customShort("m"), .customLong("message")], help: "The new text.")
    var message: String?

    func run() async throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let repository = try workspace.openRepository()
        let body = try MessageEditor.text(
            arguments: text, message: message, template: "\n# New text for \(comment). Lines starting with # are ignored.",
            context: context,
            workspace: workspace, repository: repository)
        let id = try CommentBoard(workspace: workspace).edit(comment, body: body, in: repository)
        if global.json { context.console.line(try JSONOutput.encode(["comment": id])) }
    }
}

/// `git lsm delete <comment>`.
struct DeleteCommentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete one of your comments (its text is removed; the thread keeps its place).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The comment's id (or a unique prefix; a thread id means its first comment).")
    var comment: String

    func run() async throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let repository = try workspace.openRepository()
        let id = try CommentBoard(workspace: workspace).delete(comment, in: repository)
        if global.json { context.console.line(try JSONOutput.encode(["comment": id])) }
    }
}
