import Foundation
import LsmStore

/// A session catalog kept current for a long-running process (the MCP server), so each question costs
/// a query rather than a walk over every transcript: inotify says which Claude Code and Codex files
/// changed and only those are read again; a full look every minute catches other agents' stores and
/// anything the watcher cannot see. Running agents are rescanned from `/proc` every few seconds.
public final class LiveCatalog: @unchecked Sendable {
    /// How often everything is looked at, whatever the watcher says.
    static let fullRefreshInterval: TimeInterval = 60
    /// How long a scan of running agents is trusted.
    static let processScanInterval: TimeInterval = 2

    public let workspace: Workspace
    private let index: IndexDatabase
    private let prices: PriceTable
    private let watcher: TranscriptWatcher
    private let lock = NSLock()
    private var lastFullRefresh: Date?
    private var processes: (scan: LiveProcesses, at: Date)?

    /// Opens the index and starts watching the transcript folders; the first `catalog()` indexes.
    public init(workspace: Workspace) throws(LsmError) {
        self.workspace = workspace
        index = try workspace.openIndex()
        prices = try workspace.priceTable()
        watcher = TranscriptWatcher(roots: workspace.transcriptLocator.watchedRoots)
    }

    /// The catalog as of now, after reading what changed since the last call.
    public func catalog() throws(LsmError) -> SessionCatalog {
        lock.lock()
        defer { lock.unlock() }
        let now = workspace.now()
        var changes = watcher.changes()
        if let last = lastFullRefresh, now.timeIntervalSince(last) < Self.fullRefreshInterval {
            // Trust the watcher.
        } else {
            changes = .unknown
        }
        let indexer = SessionIndexer(index: index, locator: workspace.transcriptLocator)
        switch changes {
        case .none:
            break
        case .files(let paths):
            if let files = workspace.transcriptLocator.transcriptFiles(at: paths) {
                _ = try indexer.refresh(only: files)
            } else {
                _ = try indexer.refresh()
            }
        case .unknown:
            _ = try indexer.refresh()
            lastFullRefresh = now
        }
        let running: LiveProcesses
        if let processes, now.timeIntervalSince(processes.at) < Self.processScanInterval {
            running = processes.scan
        } else {
            running = LiveProcesses.scan(root: workspace.environment["LSM_PROC_ROOT"] ?? "/proc")
            processes = (running, now)
        }
        return SessionCatalog(index: index, prices: prices, now: now, processes: running)
    }
}
