import Foundation
import LsmStore

/// Brings the full-text index up to date with the transcript files the session index knows.
///
/// A pass of its own, run on demand (`search`, `memory`, `index --search`) so it never slows the
/// session index. It keeps its own offset per file: a grown append-only file adds only its new
/// messages, a replaced or rewritten one is read again whole. Each file's messages and its offset
/// are written in one transaction, so a killed pass leaves nothing half-indexed.
public struct SearchIndexer: Sendable {
    /// What a pass did.
    public struct Report: Sendable, Equatable, Encodable {
        /// Transcript files known to the session index.
        public var files: Int
        /// Files read in this pass (new, grown or changed).
        public var changedFiles: Int
        /// Bytes of transcript read in this pass.
        public var bytes: Int64
        /// Messages added to the full-text index in this pass.
        public var messages: Int
        /// Messages in the full-text index after the pass.
        public var indexedMessages: Int
        public var seconds: Double
    }

    public let index: IndexDatabase
    /// Messages written per transaction (whole files, so each file's messages and offset go together).
    static let messagesPerTransaction = 50_000

    public init(index: IndexDatabase) {
        self.index = index
    }

    /// Reads what is new; with `rebuild`, forgets the full-text index first and reads everything.
    public func refresh(rebuild: Bool = false) throws(LsmError) -> Report {
        let start = Date()
        do {
            if rebuild { try index.removeSearchIndex() }
            let transcripts = try index.indexedTranscripts()
            let states = try index.searchFileStates()
            let known = Set(transcripts.map(\.path))
            try index.dropSearchFiles(states.keys.filter { !known.contains($0) }.sorted())
            let work = transcripts.compactMap { entry -> (TranscriptFile, Plan)? in
                guard let agent = AgentKind(rawValue: entry.agent) else { return nil }
                // As the session index saw the file (it looked a moment ago): no second stat of every file.
                // A file that changed since is read to its end anyway; the next pass sees the difference.
                let file = TranscriptFile(
                    path: entry.path, agent: agent, device: UInt64(bitPattern: entry.device), inode: UInt64(bitPattern: entry.inode),
                    size: UInt64(max(0, entry.size)), modified: entry.modified)
                let plan = Self.plan(for: file, remembered: states[file.path])
                return plan == .unchanged ? nil : (file, plan)
            }.sorted { ($0.0.modified, $0.0.path) < ($1.0.modified, $1.0.path) }
            var report = Report(
                files: transcripts.count, changedFiles: work.count, bytes: 0, messages: 0, indexedMessages: 0, seconds: 0)
            // Oldest files first, so that message ids grow with time as they do when files grow later:
            // a search ranks the newest matches when a query matches too many (IndexDatabase.search).
            var pending: [SearchFileUpdate] = []
            var pendingMessages = 0
            try ParallelReader.run(work) { file, plan in
                Self.read(file, plan: plan)
            } write: { ready in
                for (file, plan, update) in ready {
                    guard let update else { continue }
                    report.bytes += Int64(file.size) - Int64(plan.offset)
                    report.messages += update.documents.count
                    pending.append(update)
                    pendingMessages += update.documents.count
                }
                // Large transactions: each commit makes FTS5 write and later merge a segment.
                if pendingMessages >= Self.messagesPerTransaction {
                    try index.applySearch(pending)
                    pending.removeAll()
                    pendingMessages = 0
                }
            }
            try index.applySearch(pending)
            report.indexedMessages = try index.searchDocumentCount()
            try index.compactSearchIndex(added: report.messages, indexed: report.indexedMessages)
            report.seconds = Date().timeIntervalSince(start)
            return report
        } catch let error as LsmError {
            throw error
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    enum Plan: Equatable, Sendable {
        case unchanged
        case resume(offset: UInt64, sessionID: String?)
        case startOver

        var offset: UInt64 {
            if case .resume(let offset, _) = self { return offset }
            return 0
        }
    }

    static func plan(for file: TranscriptFile, remembered: SearchFileState?) -> Plan {
        guard let remembered else { return .startOver }
        let sameFile = remembered.device == Int64(bitPattern: file.device) && remembered.inode == Int64(bitPattern: file.inode)
        if sameFile, remembered.size == Int64(file.size), remembered.modified == file.modified { return .unchanged }
        guard sameFile, TranscriptSources.source(for: file).isAppendOnly, Int64(file.size) >= remembered.size else { return .startOver }
        return .resume(offset: UInt64(remembered.offset), sessionID: remembered.sessionID)
    }

    /// Reads `file` as `plan` says; `nil` when it cannot be read now (the next pass tries again).
    static func read(_ file: TranscriptFile, plan: Plan) -> SearchFileUpdate? {
        var sessionID: String?
        if case .resume(_, let remembered) = plan { sessionID = remembered }
        let offset = plan.offset
        var messages: [(position: Int64, message: SearchMessage)] = []
        let endOffset: UInt64
        do {
            endOffset = try ConversationReader.read(file, from: offset, sessionID: &sessionID) { position, message in
                messages.append((position, message))
            }
        } catch {
            return nil
        }
        let fallback = sessionID ?? file.fallbackSessionID
        let documents = messages.map { position, message in
            SearchDocument(
                sessionKey: SessionKey.make(file.agent, message.sessionID ?? fallback), position: position, role: message.role.rawValue,
                kind: message.kind.rawValue, timestamp: message.timestamp?.timeIntervalSince1970, tool: message.tool,
                paths: message.paths.joined(separator: "\n"), text: message.text, identifiers: SubstringWords.of(message.text))
        }
        return SearchFileUpdate(
            state: SearchFileState(
                path: file.path, device: Int64(bitPattern: file.device), inode: Int64(bitPattern: file.inode), size: Int64(file.size),
                modified: file.modified, offset: Int64(endOffset), sessionID: sessionID),
            startsOver: plan == .startOver, documents: documents)
    }
}
