import ArgumentParser
import Foundation
import LsmCore

/// `git lsm search <query>`: memories, then transcript messages, ranked.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search memories and every indexed session's prompts, answers, tool calls and tool errors.",
        discussion: """
            Words are all required; "a phrase", prefix*, a OR b, -excluded; words with other characters \
            (jwt_expiry, auth.ts) match anywhere inside text; path:, tool:, role:, agent: and session: \
            narrow the search (docs/search.md). Hits are ranked by relevance blended with recency; \
            memories come first. Without --all, inside a repository only its sessions are searched. Each \
            hit's reference (<session>:<message>) is what memory add --from takes. Reads what is new in \
            the transcripts first.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "What to look for.")
    var query: [String]

    @Flag(help: "Only this repository's sessions (the default inside a repository).")
    var repo = false

    @Flag(help: "Sessions of every repository, and of none.")
    var all = false

    @Option(help: ArgumentHelp("Only this agent's sessions.", valueName: "agent"))
    var agent: AgentKind?

    @Option(help: ArgumentHelp("Only messages since a date (2026-11-01) or for a while (24h, 7d, 2w).", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("Only messages of this role: user, assistant or tool.", valueName: "role"))
    var role: String?

    @Option(help: ArgumentHelp("At most this many hits.", valueName: "n"))
    var limit = 20

    @Flag(help: "Forget the full-text index and read every transcript again first.")
    var rebuild = false

    func validate() throws {
        if repo && all { throw ValidationError("--repo and --all exclude each other") }
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
        if let role, !["user", "assistant", "tool"].contains(role) { throw ValidationError("--role is one of user, assistant, tool") }
    }

    func run() async throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let text = query.joined(separator: " ")
        // Parse first: a bad query fails before any indexing.
        _ = try SearchQuery.parse(text)
        let repository = try workspace.openRepositoryIfPresent()
        if repo, repository == nil { throw LsmError.notARepository(workspace.directory) }
        let settings = try Settings.load(in: workspace, repository: repository)
        let (catalog, _) = try workspace.refreshedCatalog()
        let report = try SearchIndexer(index: catalog.index).refresh(rebuild: rebuild)
        var options = SessionSearch.Options(query: text, repoCommonDir: all ? nil : repository?.commonDirectory)
        options.agent = agent
        options.since = try since.map { (value) throws(LsmError) in try TimeFilter.parse(value, now: workspace.now()) }
        options.role = role
        options.limit = limit
        let scopes = MemoryBook(index: catalog.index, repoCommonDir: repository?.commonDirectory, now: workspace.now()).visibleScopes
        var results = try SessionSearch(index: catalog.index, now: workspace.now()).run(options, memoryScopes: scopes)
        results.indexed = report
        if global.json {
            context.console.line(try JSONOutput.encode(results))
            return
        }
        SearchView(results: results, style: global.style(in: context, settings: settings), now: workspace.now(), showRepository: all)
            .render(to: context.console)
    }
}
