import ArgumentParser
import Foundation
import LsmCore
import LsmStore

/// `git lsm monitor`: the live dashboard.
struct MonitorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "A live dashboard of agent sessions, updated as their transcripts grow.",
        discussion: """
            Shows this repository's sessions (every repository's with --all): live ones first, with \
            context fill, burn rate, today's cost and health, and today's and the last five hours' \
            tokens and cost. Keys: ↑/↓ select, Enter shows a session's health and activity, / filters, \
            q or Ctrl-C quits. --once prints one frame and exits, for scripts.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Sessions of every repository.")
    var all = false

    @Option(help: ArgumentHelp("Seconds between updates (0.2 to 60).", valueName: "seconds"))
    var interval: Double = 1

    @Flag(help: "Print a single frame and exit.")
    var once = false

    func validate() throws {
        guard (0.2...60).contains(interval) else { throw ValidationError("--interval must be between 0.2 and 60 seconds") }
    }

    func run() async throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let repository = try workspace.openRepositoryIfPresent()
        let settings = try Settings.load(in: workspace, repository: repository)
        if !all && repository == nil {
            throw LsmError(.user, "not a git repository: \(workspace.directory)", hint: "use --all to watch every repository's sessions")
        }
        let source = try DashboardSource(
            workspace: workspace, repoCommonDir: all ? nil : repository?.commonDirectory,
            title: all ? "all repositories" : (repository?.workDirectory ?? repository?.gitDirectory ?? ""))
        let style = global.style(in: context, settings: settings)
        if once {
            let columns = Int(workspace.environment["COLUMNS"] ?? "") ?? 120
            let view = DashboardView(
                snapshot: try source.snapshot(changes: .unknown), selection: .init(), style: style, size: (40, columns), title: source.title
            )
            let lines = view.lines()
            let last = lines.lastIndex { !$0.isEmpty && !$0.contains("quit") } ?? 0
            for line in lines.prefix(last + 1) {
                context.console.line(line.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
            }
            return
        }
        try DashboardLoop(source: source, style: global.style(in: context, settings: settings, outputIsTerminal: true), interval: interval)
            .run()
    }
}

/// Keeps the index current for the dashboard: only the files that changed are read again.
final class DashboardSource: @unchecked Sendable {
    let workspace: Workspace
    let repoCommonDir: String?
    let title: String
    let index: IndexDatabase
    let prices: PriceTable
    let watcher: TranscriptWatcher
    private var snapshotCache: DashboardSnapshot?

    init(workspace: Workspace, repoCommonDir: String?, title: String) throws(LsmError) {
        self.workspace = workspace
        self.repoCommonDir = repoCommonDir
        self.title = title
        index = try workspace.openIndex()
        prices = try workspace.priceTable()
        watcher = TranscriptWatcher(roots: workspace.transcriptLocator.watchedRoots)
    }

    /// A fresh snapshot when transcripts changed; the last one, with the clock moved on, when not.
    func snapshot(changes: TranscriptWatcher.Changes) throws(LsmError) -> DashboardSnapshot {
        if changes == .none, var cached = snapshotCache {
            cached.takenAt = workspace.now()
            return cached
        }
        let indexer = SessionIndexer(index: index, locator: workspace.transcriptLocator)
        if case .files(let paths) = changes, let files = workspace.transcriptLocator.transcriptFiles(at: paths) {
            _ = try indexer.refresh(only: files)
        } else {
            _ = try indexer.refresh()
        }
        let catalog = SessionCatalog(
            index: index, prices: prices, now: workspace.now(),
            processes: LiveProcesses.scan(root: workspace.environment["LSM_PROC_ROOT"] ?? "/proc"))
        let snapshot = try Dashboard(catalog: catalog, repoCommonDir: repoCommonDir).snapshot()
        snapshotCache = snapshot
        return snapshot
    }
}
