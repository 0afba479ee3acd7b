import ArgumentParser
import Foundation
import LsmCore
import LsmStore

/// `git lsm show <session>`: one session in detail.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one session: timeline, usage per model, files touched, commits, compactions, errors.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The session's id, or a prefix of it that only it has.", valueName: "session"))
    var session: String

    func run() async throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let (catalog, _) = try workspace.refreshedCatalog()
        let (summary, detail) = try catalog.session(matching: session)
        let commits = SessionCommits(index: catalog.index).commits(of: summary)
        let imported = try catalog.index.importedSession(key: "\(summary.agent):\(summary.id)")
        if global.json {
            context.console.line(
                try JSONOutput.encode(
                    SessionDetailJSON(
                        summary: summary, detail: detail, commits: commits,
                        imported: imported.map { .init(origin: $0.originHost, importedAt: Date(timeIntervalSince1970: $0.importedAt)) })))
            return
        }
        let settings = try Settings.load(in: workspace, repository: try workspace.openRepositoryIfPresent())
        SessionDetailView(
            summary: summary, detail: detail, commits: commits, importedFrom: imported?.originHost,
            style: global.style(in: context, settings: settings), now: workspace.now()
        )
        .render(to: context.console)
    }
}
