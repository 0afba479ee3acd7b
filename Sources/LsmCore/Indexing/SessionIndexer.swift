import Foundation
import LsmGit
import LsmStore

/// Brings the index up to date with the agents' transcripts: reads what is new in each file (in
/// parallel), writes each file's update in its own transaction, then ties new sessions to the
/// repositories their working directories are in.
///
/// A run killed at any point leaves every file either fully updated or untouched, so the next run
/// gives exactly the totals of an uninterrupted one.
public struct SessionIndexer: Sendable {
    /// What a run did.
    public struct Report: Sendable, Equatable, Encodable {
        /// Transcript files found.
        public var files: Int
        /// Files that had something new.
        public var changedFiles: Int
        /// Bytes read in this run.
        public var bytes: Int64
        /// Complete lines read in this run.
        public var records: Int
        /// Lines skipped because they were not JSON lsm could read.
        public var malformed: Int
        /// Files that could not be read, with the reason.
        public var unreadable: [String]
        /// Sessions in the index after the run.
        public var sessions: Int
        public var seconds: Double
    }

    public let index: IndexDatabase
    public let locator: TranscriptLocator

    public init(index: IndexDatabase, locator: TranscriptLocator) {
        self.index = index
        self.locator = locator
    }

    /// Reads everything new. `progress` is called with (bytes done, bytes to read) as files finish.
    public func refresh(rebuild: Bool = false, progress: (@Sendable (Int64, Int64) -> Void)? = nil) throws(LsmError) -> Report {
        try refresh(files: nil, rebuild: rebuild, progress: progress)
    }

    /// Reads what is new in just these files (for `statusline`, which must answer in milliseconds).
    public func refresh(only files: [TranscriptFile]) throws(LsmError) -> Report {
        try refresh(files: files, rebuild: false, progress: nil)
    }

    private func refresh(files chosen: [TranscriptFile]?, rebuild: Bool, progress: (@Sendable (Int64, Int64) -> Void)?) throws(LsmError)
        -> Report
    {
        let start = Date()
        do {
            if rebuild { try index.removeAllTranscripts() }
            let files = chosen ?? locator.transcriptFiles()
            let remembered = try index.transcriptStates(paths: chosen.map { $0.map(\.path) })
            // Largest files first, so a big file never starts last and runs alone.
            let work = files.compactMap { file -> (TranscriptFile, TranscriptParser.Plan)? in
                let plan = TranscriptParser.plan(for: file, remembered: remembered[file.path])
                return plan == .unchanged ? nil : (file, plan)
            }.sorted { $0.0.size > $1.0.size }
            var report = Report(
                files: files.count, changedFiles: work.count, bytes: 0, records: 0, malformed: 0, unreadable: [], sessions: 0, seconds: 0)
            let totalBytes = work.reduce(Int64(0)) { sum, item in sum + Self.bytesToRead(item.0, item.1) }
            var done: Int64 = 0
            // An index that knows no file yet gets every file: load it in bulk.
            if chosen == nil && remembered.isEmpty && !work.isEmpty { try index.beginBulkLoad() }
            try ParallelReader.run(work) { file, plan in
                TranscriptParser.read(file, plan: plan)
            } write: { ready in
                let updates = ready.compactMap(\.2)
                try index.apply(updates)
                for (file, plan, update) in ready {
                    guard let update else { continue }
                    if let error = update.file.error {
                        report.unreadable.append("\(file.path): \(error)")
                    } else {
                        report.bytes += Self.bytesToRead(file, plan)
                    }
                    report.records += update.lines
                    report.malformed += update.malformedLines
                    done += Self.bytesToRead(file, plan)
                }
                progress?(done, totalBytes)
            }
            // Also ends a bulk load that was killed, or that another process began.
            try index.finishBulkLoad()
            try index.settleStaleSessions()
            try RepositoryLinker(index: index).linkNewSessions()
            report.sessions = try index.sessionCount()
            report.seconds = Date().timeIntervalSince(start)
            return report
        } catch let error as StoreError {
            throw LsmError.wrapping(error)
        } catch let error as LsmError {
            throw error
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    private static func bytesToRead(_ file: TranscriptFile, _ plan: TranscriptParser.Plan) -> Int64 {
        if case .resume(let offset, _) = plan { return Int64(file.size) - Int64(offset) }
        return Int64(file.size)
    }
}
