import Foundation
import LsmStore

extension Workspace {
    /// Where the agents' transcripts are, from this workspace's environment.
    public var transcriptLocator: TranscriptLocator { TranscriptLocator(environment: environment) }

    /// The price table: the built-in one with `$LSM_HOME/pricing.json` applied.
    public func priceTable() throws(LsmError) -> PriceTable {
        try PriceTable.loading(overridesFrom: indexLocation.home.appendingPathComponent("pricing.json"))
    }

    /// Opens the index, brings it up to date with the transcripts (cheap when nothing changed), and
    /// returns the catalog over it with the report of what the refresh read.
    public func refreshedCatalog(progress: (@Sendable (Int64, Int64) -> Void)? = nil) throws(LsmError) -> (
        SessionCatalog, SessionIndexer.Report
    ) {
        let prices = try priceTable()
        let index = try openIndex()
        let report = try SessionIndexer(index: index, locator: transcriptLocator).refresh(progress: progress)
        let processes = LiveProcesses.scan(root: environment["LSM_PROC_ROOT"] ?? "/proc")
        return (SessionCatalog(index: index, prices: prices, now: now(), processes: processes), report)
    }
}
