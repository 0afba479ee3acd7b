import Foundation

/// `git lsm blame`: per line of a file at a revision, the commit that last changed it and, when an
/// agent wrote it, which one, in which session and after which prompt.
public struct BlameReport: Sendable, Equatable, Encodable {
    /// The file, relative to the repository root.
    public var path: String
    /// The full id of the commit blamed.
    public var revision: String
    public var lines: [BlamedLine]

    public init(path: String, revision: String, lines: [BlamedLine]) {
        self.path = path
        self.revision = revision
        self.lines = lines
    }
}

/// One line of a blamed file.
public struct BlamedLine: Sendable, Equatable, Encodable {
    /// 1-based.
    public var line: Int
    public var text: String
    /// The full id of the commit that last changed the line.
    public var commit: String
    /// That commit's author and author date.
    public var author: String
    public var date: Date
    /// The author's time zone, for showing the date as git does.
    public var timeZoneOffsetMinutes: Int
    /// The agent behind the line, when a record says.
    public var attribution: LineAttribution?

    public init(
        line: Int, text: String, commit: String, author: String, date: Date, timeZoneOffsetMinutes: Int = 0,
        attribution: LineAttribution? = nil
    ) {
        self.line = line
        self.text = text
        self.commit = commit
        self.author = author
        self.date = date
        self.timeZoneOffsetMinutes = timeZoneOffsetMinutes
        self.attribution = attribution
    }

    private enum CodingKeys: String, CodingKey {
        case line, text, commit, author, date, agent, session, model, prompt, source
    }

    /// Every key is written, `null` included, as in every `--json` of lsm.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(line, forKey: .line)
        try container.encode(text, forKey: .text)
        try container.encode(commit, forKey: .commit)
        try container.encode(author, forKey: .author)
        try container.encode(date, forKey: .date)
        try container.encode(attribution?.agent, forKey: .agent)
        try container.encode(attribution?.session, forKey: .session)
        try container.encode(attribution?.model, forKey: .model)
        try container.encode(attribution?.prompt, forKey: .prompt)
        try container.encode(attribution?.source.rawValue, forKey: .source)
    }
}

/// Who wrote a line, and which record says so.
public struct LineAttribution: Sendable, Hashable {
    /// The record the attribution comes from, strongest first.
    public enum Source: String, Sendable, Hashable {
        /// lsm's note on the commit names the session, and its transcript's edit wrote the line (or
        /// the transcript is not on this machine and the session edited the file).
        case lsmNote = "lsm-note"
        /// An `LSM-Session` trailer names the session.
        case trailer
        /// A Git AI Standard note (`refs/notes/ai`) attests the line.
        case gitAI = "git-ai"
        /// A `Co-authored-by` trailer names the agent: no session.
        case coAuthor = "co-author"
    }

    /// lsm's agent name (`claude-code`, `codex`, …), or the tool another record names.
    public var agent: String
    public var session: String?
    public var model: String?
    /// The user's last prompt before the edit that wrote the line, shortened.
    public var prompt: String?
    public var source: Source

    public init(agent: String, session: String? = nil, model: String? = nil, prompt: String? = nil, source: Source) {
        self.agent = agent
        self.session = session
        self.model = model
        self.prompt = prompt
        self.source = source
    }
}
