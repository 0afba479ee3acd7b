import ArgumentParser
import Foundation
import LsmCore
import LsmStore

/// `git lsm list`: sessions of this repository, or of every repository.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List agent sessions, most recent first.",
        discussion: "Without --all, the sessions that ran in this repository (any of its worktrees).")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Sessions of every repository, and of none.")
    var all = false

    @Option(help: ArgumentHelp("Only this agent's sessions: claude-code or codex.", valueName: "agent"))
    var agent: AgentKind?

    @Option(help: ArgumentHelp("Only sessions active since a date (2026-11-01) or for a while (24h, 7d, 2w).", valueName: "date"))
    var since: String?

    func run() async throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let activeSince = try since.map { (text) throws(LsmError) in try TimeFilter.parse(text, now: workspace.now()) }
        var filter = SessionFilter(agent: agent?.rawValue, activeSince: activeSince?.timeIntervalSince1970)
        let repository = try workspace.openRepositoryIfPresent()
        let settings = try Settings.load(in: workspace, repository: repository)
        if !all {
            guard let repository else {
                throw LsmError(
                    .user, "not a git repository: \(workspace.directory)", hint: "use --all to list the sessions of every repository")
            }
            filter.repoCommonDir = repository.commonDirectory
        }
        let bar = ProgressBar(console: context.console)
        let (catalog, _) = try workspace.refreshedCatalog(progress: bar.callback)
        bar.finish()
        let sessions = try catalog.sessions(filter)
        if global.json {
            context.console.line(try JSONOutput.encode(sessions))
            return
        }
        if sessions.isEmpty {
            context.console.line(
                all ? "no agent sessions found" : "no agent sessions in this repository (git lsm list --all shows every session)")
            return
        }
        SessionsView(sessions: sessions, style: global.style(in: context, settings: settings), now: workspace.now(), showRepository: all)
            .render(to: context.console)
    }
}

extension AgentKind: ExpressibleByArgument {}
