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

/// `show --json`: the session's summary keys plus its timeline.
struct SessionDetailJSON: Encodable {
    struct Event: Encodable {
        var kind: String
        var timestamp: Date?
        var text: String
        var tokens: Int?
    }

    struct File: Encodable {
        var tool: String
        var path: String?
        var count: Int
    }

    /// Where an imported session came from.
    struct Imported: Encodable {
        var origin: String
        var importedAt: Date
    }

    var summary: SessionSummary
    var detail: SessionDetail
    var commits: [SessionCommits.Linked]
    var imported: Imported?

    func encode(to encoder: any Encoder) throws {
        try summary.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(
            detail.events.map {
                Event(kind: $0.kind, timestamp: $0.timestamp.map(Date.init(timeIntervalSince1970:)), text: $0.text, tokens: $0.tokens)
            },
            forKey: .events)
        try container.encode(
            detail.toolUses.map { File(tool: $0.tool, path: $0.path.isEmpty ? nil : $0.path, count: $0.count) }, forKey: .tools)
        try container.encode(commits, forKey: .commits)
        try container.encode(imported, forKey: .imported)
    }

    private enum Keys: String, CodingKey {
        case events
        case tools
        case commits
        case imported
    }
}
