import Foundation

/// One agent's transcripts: where they are and how to read them. Every agent lsm reads has one,
/// listed in `TranscriptSources.all`.
protocol TranscriptSource: Sendable {
    var agent: AgentKind { get }

    /// Whether the files only ever grow by whole lines at their end, so a grown file is read from
    /// where the last run stopped. Otherwise a changed file is read again whole, replacing what it
    /// gave before (databases, JSON documents, logs that rewrite earlier records).
    var isAppendOnly: Bool { get }

    /// Whether `path`, one of this agent's files, is this source's to read (an agent with several
    /// kinds of files has a source for each).
    func reads(_ path: String) -> Bool

    /// The agent's transcript files under the locator's roots, with what `stat` says of them now.
    func files(_ locator: TranscriptLocator) -> [TranscriptFile]

    /// The session a file's records belong to when they do not say.
    func fallbackSessionID(for path: String) -> String

    /// Reads `file` from `offset` on, continuing `state`, into `batch`; returns the offset the next
    /// run continues from. Malformed records are counted in `batch`, never thrown.
    func read(_ file: TranscriptFile, from offset: UInt64, state: inout ReaderState, into batch: inout TranscriptBatch)
        throws(TranscriptReadError) -> UInt64
}

extension TranscriptSource {
    func reads(_ path: String) -> Bool { true }
}

/// Every agent lsm reads.
enum TranscriptSources {
    static let all: [any TranscriptSource] = [
        ClaudeCodeSource(), CodexSource(), GeminiSource(), CopilotSource(), CopilotCLISource(),
        CursorDatabaseSource(), CursorChatStoreSource(), CursorAgentTranscriptSource(),
    ]

    /// The source that reads `file`.
    static func source(for file: TranscriptFile) -> any TranscriptSource {
        all.first { $0.agent == file.agent && $0.reads(file.path) } ?? ClaudeCodeSource()
    }
}

/// A transcript that could not be read.
struct TranscriptReadError: Error, Equatable {
    let path: String
    let message: String

    init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    init(path: String, errno: Int32) {
        self.init(path: path, message: String(cString: strerror(errno)))
    }
}
