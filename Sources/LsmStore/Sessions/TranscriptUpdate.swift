/// Everything one run read from one transcript file, written to the index in one transaction: either
/// all of it lands, with the file's new offset, or none of it does.
public struct TranscriptUpdate: Sendable {
    /// What `stat` and the reader said about the file after this run.
    public struct File: Sendable, Equatable {
        public var path: String
        public var agent: String
        public var device: Int64
        public var inode: Int64
        public var size: Int64
        public var modified: Double
        /// Where the next run continues: just past the last complete line read.
        public var parsedOffset: Int64
        /// The reader's state at `parsedOffset`, as JSON.
        public var readerState: String
        /// The first timestamp in the file.
        public var firstAt: Double?
        /// A read error to show in `git lsm index --verbose`, or `nil`.
        public var error: String?

        public init(
            path: String, agent: String, device: Int64, inode: Int64, size: Int64, modified: Double, parsedOffset: Int64,
            readerState: String, firstAt: Double?, error: String?
        ) {
            self.path = path
            self.agent = agent
            self.device = device
            self.inode = inode
            self.size = size
            self.modified = modified
            self.parsedOffset = parsedOffset
            self.readerState = readerState
            self.firstAt = firstAt
            self.error = error
        }
    }

    /// What the file says about one session.
    public struct SessionFacts: Sendable, Equatable {
        public var key: String
        public var agent: String
        public var id: String
        public var cwd: String?
        public var branch: String?
        public var agentVersion: String?
        public var title: String?
        public var parentID: String?
        public var firstAt: Double?
        public var lastAt: Double?
        /// What agents without API-call records report: the model, and context tokens and window.
        public var model: String?
        public var contextTokens: Int?
        public var contextWindow: Int?

        public init(
            key: String, agent: String, id: String, cwd: String?, branch: String?, agentVersion: String?, title: String?,
            parentID: String?, firstAt: Double?, lastAt: Double?, model: String? = nil, contextTokens: Int? = nil,
            contextWindow: Int? = nil
        ) {
            self.key = key
            self.agent = agent
            self.id = id
            self.cwd = cwd
            self.branch = branch
            self.agentVersion = agentVersion
            self.title = title
            self.parentID = parentID
            self.firstAt = firstAt
            self.lastAt = lastAt
            self.model = model
            self.contextTokens = contextTokens
            self.contextWindow = contextWindow
        }
    }

    /// One copy of an API call.
    public struct Call: Sendable, Equatable {
        public var key: String
        public var sessionKey: String
        public var messageID: String?
        public var model: String
        public var timestamp: Double?
        public var input: Int
        public var output: Int
        public var cacheWrite5m: Int
        public var cacheWrite1h: Int
        public var cacheRead: Int
        public var isSidechain: Bool
        public var contextWindow: Int?
        public var contextTokens: Int?
        /// The byte offset of the copy's line in its file.
        public var position: Int64

        public init(
            key: String, sessionKey: String, messageID: String?, model: String, timestamp: Double?, input: Int, output: Int,
            cacheWrite5m: Int, cacheWrite1h: Int, cacheRead: Int, isSidechain: Bool, contextWindow: Int?, contextTokens: Int?,
            position: Int64
        ) {
            self.key = key
            self.sessionKey = sessionKey
            self.messageID = messageID
            self.model = model
            self.timestamp = timestamp
            self.input = input
            self.output = output
            self.cacheWrite5m = cacheWrite5m
            self.cacheWrite1h = cacheWrite1h
            self.cacheRead = cacheRead
            self.isSidechain = isSidechain
            self.contextWindow = contextWindow
            self.contextTokens = contextTokens
            self.position = position
        }

        var total: Int { input + output + cacheWrite5m + cacheWrite1h + cacheRead }
    }

    /// A prompt, compaction or error.
    public struct Event: Sendable, Equatable {
        public var sessionKey: String
        public var key: String?
        public var kind: String
        public var timestamp: Double?
        public var text: String
        public var tokens: Int?

        public init(sessionKey: String, key: String?, kind: String, timestamp: Double?, text: String, tokens: Int?) {
            self.sessionKey = sessionKey
            self.key = key
            self.kind = kind
            self.timestamp = timestamp
            self.text = text
            self.tokens = tokens
        }
    }

    /// Tool calls of one tool on one file (path empty for none) in one session.
    public struct ToolUse: Sendable, Equatable, Hashable {
        public var sessionKey: String
        public var tool: String
        public var path: String

        public init(sessionKey: String, tool: String, path: String) {
            self.sessionKey = sessionKey
            self.tool = tool
            self.path = path
        }
    }

    /// What the index held for the file when this run planned its read. Another process (the
    /// dashboard while a statusline runs) may have read the same lines since: then this update is
    /// dropped instead of counting them twice.
    public enum Expectation: Sendable, Equatable {
        /// The index had no row for the file.
        case absent
        /// The index had read the file up to this offset.
        case offset(Int64)
    }

    public var file: File
    public var expected: Expectation
    /// Whether earlier reads of this file are void (it shrank or was replaced): its rows are dropped
    /// before this update's are written.
    public var startsOver: Bool
    /// Lines read in this run, and how many of them were malformed.
    public var lines: Int
    public var malformedLines: Int
    public var sessions: [SessionFacts]
    public var calls: [Call]
    public var events: [Event]
    public var toolUses: [ToolUse: Int]

    public init(
        file: File, expected: Expectation, startsOver: Bool, lines: Int, malformedLines: Int, sessions: [SessionFacts], calls: [Call],
        events: [Event],
        toolUses: [ToolUse: Int]
    ) {
        self.file = file
        self.expected = expected
        self.startsOver = startsOver
        self.lines = lines
        self.malformedLines = malformedLines
        self.sessions = sessions
        self.calls = calls
        self.events = events
        self.toolUses = toolUses
    }
}

/// What the index remembers about a transcript file, to decide whether it changed.
public struct TranscriptState: Sendable, Equatable {
    public var path: String
    public var device: Int64
    public var inode: Int64
    public var size: Int64
    public var modified: Double
    public var parsedOffset: Int64
    public var readerState: String
}
