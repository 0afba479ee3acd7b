import ArgumentParser
import Foundation
import LsmCore

/// `git lsm status`: this repository and branch, and what lsm knows of them.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show this repository's branch, HEAD and what lsm knows of it.",
        discussion: "Outside a git repository it says so and exits with status 1.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let repository = try workspace.openRepositoryIfPresent()
        let settings = try Settings.load(in: workspace, repository: repository)
        guard let repository else { throw LsmError.notARepository(workspace.directory) }
        let bar = ProgressBar(console: context.console)
        let status = try StatusReporter(workspace: workspace).status(of: repository, progress: bar.callback)
        bar.finish()
        if global.json {
            context.console.line(try JSONOutput.encode(status))
        } else {
            StatusView(status: status, style: global.style(in: context, settings: settings), now: workspace.now()).render(
                to: context.console)
        }
    }
}

/// The text rendering of `RepositoryStatus`.
struct StatusView {
    /// Sessions listed in text; `--json` and `git lsm list` give all of them.
    static let shownSessions = 10

    let status: RepositoryStatus
    let style: Style
    let now: Date

    func render(to console: Console) {
        let rows: [(String, String)] = [
            ("repository", repositoryLine),
            ("branch", branchLine),
            ("head", headLine),
            ("index", "\(status.index.path) (repository first seen \(Formatting.timestamp(status.index.firstSeenAt)))"),
            ("hooks", hooksLine),
            ("comments", commentsLine),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        for (label, value) in rows {
            console.line(style.dim(label.padding(toLength: width, withPad: " ", startingAt: 0)) + "  " + value)
        }
        console.line()
        guard !status.sessions.isEmpty else {
            console.line("no agent sessions in this repository yet")
            return
        }
        let tokens = status.sessions.reduce(0) { $0 + ($1.usage?.total ?? 0) }
        let costs = status.sessions.map(\.costUSD)
        let cost = costs.contains(where: { $0 == nil }) ? nil : costs.reduce(0) { $0 + ($1 ?? 0) }
        console.line(
            style.bold("Sessions") + "  \(status.sessions.count), \(Formatting.tokens(tokens)) tokens, \(Formatting.cost(cost))")
        SessionsView(sessions: Array(status.sessions.prefix(Self.shownSessions)), style: style, now: now).render(to: console)
        if status.sessions.count > Self.shownSessions {
            console.line(style.dim("… and \(status.sessions.count - Self.shownSessions) more (git lsm list shows them all)"))
        }
    }

    private var hooksLine: String {
        guard let hooks = status.hooks else { return style.dim("none (a bare repository makes no commits)") }
        guard hooks.recording else { return style.dim("not recording sessions on commits (git lsm hooks install)") }
        var parts = ["recording sessions on commits"]
        if hooks.trailer { parts.append("LSM-Session trailers") }
        if hooks.agentHooks == "installed" { parts.append("Claude Code hooks") }
        return parts.joined(separator: ", ")
    }

    private var commentsLine: String {
        let counts = status.comments
        if counts.open == 0 && counts.resolved == 0 { return style.dim("no threads (git lsm comment <path>:<line> <text>)") }
        return "\(counts.open) open, \(counts.resolved) resolved (git lsm comments)"
    }

    private var repositoryLine: String {
        var line = style.bold(status.root ?? status.gitDir)
        if status.bare { line += " (bare)" }
        if status.linkedWorktree { line += " (linked worktree of \(status.commonDir))" }
        return line
    }

    private var branchLine: String {
        switch status.head.state {
        case .detached: style.yellow("detached HEAD")
        case .unborn: style.cyan(status.head.branch ?? "HEAD") + " (no commits yet)"
        case .branch: style.cyan(status.head.branch ?? "HEAD")
        }
    }

    private var headLine: String {
        guard let commit = status.head.commit else { return "none" }
        return style.yellow(String(commit.prefix(7))) + " " + (status.head.subject ?? "")
    }
}
