import Foundation

/// One searchable message of a transcript: a prompt, an assistant's text, a tool call or a tool error.
public struct SearchDocument: Sendable, Equatable {
    public var sessionKey: String
    /// Where the message is in its file: the byte offset of its line (or its ordinal for files read whole).
    public var position: Int64
    /// `user`, `assistant` or `tool`.
    public var role: String
    /// `prompt`, `text`, `tool` or `tool-error`.
    public var kind: String
    public var timestamp: Double?
    public var tool: String?
    /// Files the message names, one per line.
    public var paths: String
    public var text: String
    /// The words of `text` that substrings are looked for in (identifiers, paths, flags), space-separated;
    /// indexed by trigrams with `paths`.
    public var identifiers: String

    public init(
        sessionKey: String, position: Int64, role: String, kind: String, timestamp: Double?, tool: String?, paths: String, text: String,
        identifiers: String = ""
    ) {
        self.sessionKey = sessionKey
        self.position = position
        self.role = role
        self.kind = kind
        self.timestamp = timestamp
        self.tool = tool
        self.paths = paths
        self.text = text
        self.identifiers = identifiers
    }
}

/// A transcript file of the session index, as the session index last saw it on disk.
public struct IndexedTranscript: Sendable, Equatable {
    public var path: String
    public var agent: String
    public var device: Int64
    public var inode: Int64
    public var size: Int64
    public var modified: Double
}

/// What the search pass remembers of one transcript file: its identity when last read and how far.
public struct SearchFileState: Sendable, Equatable {
    public var path: String
    public var device: Int64
    public var inode: Int64
    public var size: Int64
    public var modified: Double
    public var offset: Int64
    /// The session the file's records belong to when they do not say (learnt from its first records).
    public var sessionID: String?

    public init(path: String, device: Int64, inode: Int64, size: Int64, modified: Double, offset: Int64, sessionID: String?) {
        self.path = path
        self.device = device
        self.inode = inode
        self.size = size
        self.modified = modified
        self.offset = offset
        self.sessionID = sessionID
    }
}

/// Everything the search pass read from one file, written in one transaction.
public struct SearchFileUpdate: Sendable, Equatable {
    public var state: SearchFileState
    /// Whether the file's earlier documents are dropped first (read again from the start).
    public var startsOver: Bool
    public var documents: [SearchDocument]

    public init(state: SearchFileState, startsOver: Bool, documents: [SearchDocument]) {
        self.state = state
        self.startsOver = startsOver
        self.documents = documents
    }
}

/// A search as the index runs it. The match expressions are FTS5 syntax that LsmCore built from
/// the user's query, every word quoted; they are never the user's text.
public struct SearchCriteria: Sendable, Equatable {
    /// Against the word index (bm25).
    public var words: String?
    /// Against the trigram index (substrings).
    public var trigrams: String?
    public var roles: [String] = []
    /// Tool names, compared without case.
    public var tools: [String] = []
    public var repoCommonDir: String?
    public var agents: [String] = []
    public var sessionKeyPrefixes: [String] = []
    /// Texts the message's paths must contain (any case, ASCII): `path:` values the trigram
    /// expression looks for only by a rarer part.
    public var pathsContaining: [String] = []
    public var since: Double?
    /// Hits with a timestamp `recencyHalfLife` seconds old get half of the newest hits' boost.
    public var recencyHalfLife: Double = 30 * 86_400
    public var now: Double
    public var limit: Int
    /// The most matches ranked: a query matching more ranks its newest this many (after the filters).
    public var candidates = SearchCriteria.defaultCandidates
    public static let defaultCandidates = 2_000

    public init(words: String?, trigrams: String?, now: Double, limit: Int) {
        self.words = words
        self.trigrams = trigrams
        self.now = now
        self.limit = limit
    }
}

/// A message a search found, with its session's facts.
public struct SearchHitRecord: Sendable, Equatable {
    public var id: Int64
    public var score: Double
    public var document: SearchDocument
    public var agent: String
    public var sessionID: String
    public var cwd: String?
    public var branch: String?
    public var repoWorkDir: String?
    public var repoCommonDir: String?
    public var title: String?
}

/// A durable note (`git lsm memory`).
public struct MemoryRecord: Sendable, Equatable {
    public var id: Int64
    /// The repository's common dir, or `""` for a global memory.
    public var scope: String
    public var text: String
    /// Tags, space-separated.
    public var tags: String
    /// The session (and message) the memory was made from, if any.
    public var sessionKey: String?
    public var messageID: Int64?
    /// The message's text when the memory was made, so the link reads the same after a rebuild.
    public var quote: String?
    public var createdAt: Double
    /// bm25 relevance when found by a search (lower is better), else 0.
    public var score: Double = 0

    public init(
        id: Int64 = 0, scope: String, text: String, tags: String, sessionKey: String?, messageID: Int64?, quote: String?, createdAt: Double
    ) {
        self.id = id
        self.scope = scope
        self.text = text
        self.tags = tags
        self.sessionKey = sessionKey
        self.messageID = messageID
        self.quote = quote
        self.createdAt = createdAt
    }
}
