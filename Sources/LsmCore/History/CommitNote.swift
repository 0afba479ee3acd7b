import Foundation

/// What lsm records about one commit, as a git note under `refs/notes/lsm`: the agent sessions that
/// were at work in the repository and branch when it was made. Schema `lsm.commit/1`, documented in
/// docs/notes.md. Notes travel between clones, so reading one trusts nothing in it.
public struct CommitNote: Codable, Sendable, Equatable {
    public static let schemaName = "lsm.commit/1"
    /// The notes ref lsm writes.
    public static let notesRef = "refs/notes/lsm"

    /// One session behind a commit.
    public struct Session: Codable, Sendable, Equatable {
        public var agent: String
        public var id: String
        /// The model of the session's latest call.
        public var model: String?
        /// Tokens the session spent between the commit's parent and the commit: the work this commit
        /// took. Summing it over a range of commits counts no call twice.
        public var usage: Usage?
        /// What `usage` cost; `nil` when the model's price is unknown or the agent records no usage.
        public var costUSD: Double?
        public var health: Health?
        /// Files the session edited that this commit changed, relative to the repository root.
        public var filesTouched: [String]
        public var branch: String?
        /// The session's latest activity when the note was written.
        public var lastActivityAt: Date?

        public init(
            agent: String, id: String, model: String?, usage: Usage?, costUSD: Double?, health: Health?, filesTouched: [String],
            branch: String? = nil, lastActivityAt: Date? = nil
        ) {
            self.agent = agent
            self.id = id
            self.model = model
            self.usage = usage
            self.costUSD = costUSD
            self.health = health
            self.filesTouched = filesTouched
            self.branch = branch
            self.lastActivityAt = lastActivityAt
        }

        /// `agent/id`, the form trailers and `git lsm log` use.
        public var reference: String { "\(agent)/\(id)" }
    }

    public struct Usage: Codable, Sendable, Equatable {
        public var input: Int
        public var output: Int
        public var cacheWrite: Int
        public var cacheRead: Int
        public var total: Int

        public init(input: Int, output: Int, cacheWrite: Int, cacheRead: Int) {
            self.input = input
            self.output = output
            self.cacheWrite = cacheWrite
            self.cacheRead = cacheRead
            self.total = input + output + cacheWrite + cacheRead
        }

        public static let zero = Usage(input: 0, output: 0, cacheWrite: 0, cacheRead: 0)

        public static func + (lhs: Usage, rhs: Usage) -> Usage {
            Usage(
                input: lhs.input + rhs.input, output: lhs.output + rhs.output, cacheWrite: lhs.cacheWrite + rhs.cacheWrite,
                cacheRead: lhs.cacheRead + rhs.cacheRead)
        }
    }

    public struct Health: Codable, Sendable, Equatable {
        public var score: Int?
        public var contextFill: Double?

        public init(score: Int?, contextFill: Double?) {
            self.score = score
            self.contextFill = contextFill
        }
    }

    public var schema: String
    public var sessions: [Session]
    public var recordedAt: Date
    /// The commits this one replaced (amend, rebase, squash, cherry-pick), whose notes it carries:
    /// their sessions are not new work.
    public var rewrittenFrom: [String]?

    public init(sessions: [Session], recordedAt: Date, rewrittenFrom: [String]? = nil) {
        self.schema = Self.schemaName
        self.sessions = sessions
        self.recordedAt = recordedAt
        self.rewrittenFrom = rewrittenFrom
    }
}

extension CommitNote {
    /// Reads a note's text: one JSON document, or several when git concatenated the notes of
    /// squashed commits (`notes.rewriteMode=concatenate`), which are merged. Documents of other
    /// schemas and malformed text are skipped; `nil` when nothing in the text is an lsm note.
    public static func parse(_ text: String) -> CommitNote? {
        let notes = JSONDocuments.split(text).compactMap { document -> CommitNote? in
            guard let note = try? decoder.decode(CommitNote.self, from: Data(document.utf8)), note.schema == schemaName else { return nil }
            return note
        }
        guard var merged = notes.first else { return nil }
        for note in notes.dropFirst() { merged = merged.merging(note) }
        return merged
    }

    /// The note as stored: compact, stable key order, one line.
    public func encoded() -> String {
        // Encoding plain values to JSON cannot fail.
        (try? Self.encoder.encode(self)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }

    /// The union of two notes on the same commit: every session of either, once. When both name a
    /// session, the copy recorded later wins, since it saw more of the session.
    public func merging(_ other: CommitNote) -> CommitNote {
        let newer = other.recordedAt > recordedAt ? other : self
        let older = newer == other ? self : other
        var sessions = older.sessions
        for session in newer.sessions {
            if let index = sessions.firstIndex(where: { $0.agent == session.agent && $0.id == session.id }) {
                sessions[index] = session
            } else {
                sessions.append(session)
            }
        }
        let rewritten = Set((rewrittenFrom ?? []) + (other.rewrittenFrom ?? []))
        return CommitNote(
            sessions: sessions.sorted { ($0.agent, $0.id) < ($1.agent, $1.id) }, recordedAt: newer.recordedAt,
            rewrittenFrom: rewritten.isEmpty ? nil : rewritten.sorted())
    }

    /// The note of a commit that replaces several (a squash or fixup): each session once, with its
    /// usage, cost and files summed over the commits, since each of their notes counted only the work
    /// of its own commit; the rest of a session from its latest activity.
    public static func combining(_ notes: [CommitNote]) -> CommitNote? {
        guard let first = notes.first else { return nil }
        var sessions: [Session] = []
        for session in notes.flatMap(\.sessions) {
            if let index = sessions.firstIndex(where: { $0.agent == session.agent && $0.id == session.id }) {
                sessions[index] = sessions[index].adding(session)
            } else {
                sessions.append(session)
            }
        }
        let rewritten = Set(notes.flatMap { $0.rewrittenFrom ?? [] })
        return CommitNote(
            sessions: sessions.sorted { ($0.agent, $0.id) < ($1.agent, $1.id) },
            recordedAt: notes.map(\.recordedAt).max() ?? first.recordedAt, rewrittenFrom: rewritten.isEmpty ? nil : rewritten.sorted())
    }

    /// This note with the sessions only `other` names, and both notes' `rewrittenFrom`.
    func addingSessions(onlyIn other: CommitNote) -> CommitNote {
        let extra = other.sessions.filter { session in !sessions.contains { $0.agent == session.agent && $0.id == session.id } }
        let rewritten = Set((rewrittenFrom ?? []) + (other.rewrittenFrom ?? []))
        return CommitNote(
            sessions: (sessions + extra).sorted { ($0.agent, $0.id) < ($1.agent, $1.id) }, recordedAt: max(recordedAt, other.recordedAt),
            rewrittenFrom: rewritten.isEmpty ? nil : rewritten.sorted())
    }

    /// Merges the text of two copies of a note (for `git lsm sync` and rewrites); a side that is not
    /// an lsm note is kept only when the other side is not one either.
    public static func mergeTexts(_ ours: String?, _ theirs: String) -> String? {
        switch (ours.flatMap(parse), parse(theirs)) {
        case (let ours?, let theirs?): return ours.merging(theirs).encoded()
        case (nil, let theirs?): return ours == nil ? theirs.encoded() : ours
        case (let ours?, nil): return ours.encoded()
        case (nil, nil): return ours ?? theirs
        }
    }

    static let decoder = ISOTimestamp.jsonDecoder()

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(.iso8601))
        }
        return encoder
    }()
}

extension CommitNote.Session {
    /// This session's work on one commit plus its work on another.
    func adding(_ other: CommitNote.Session) -> CommitNote.Session {
        let later = (other.lastActivityAt ?? .distantPast) > (lastActivityAt ?? .distantPast) ? other : self
        var sum = later
        sum.usage = usage.map { mine in other.usage.map { mine + $0 } ?? mine } ?? other.usage
        // A cost is known only when every copy with usage has one.
        let costs = [self, other].filter { $0.usage != nil || $0.costUSD != nil }.map(\.costUSD)
        sum.costUSD = costs.contains { $0 == nil } ? nil : costs.compactMap { $0 }.reduce(0, +)
        sum.filesTouched = Set(filesTouched + other.filesTouched).sorted()
        return sum
    }
}

/// Splits text holding JSON objects one after another (with anything between them) into the text
/// of each top-level object, by matching braces outside strings.
enum JSONDocuments {
    static func split(_ text: String) -> [String] {
        var documents: [String] = []
        let bytes = Array(text.utf8)
        var depth = 0
        var start = 0
        var inString = false
        var escaped = false
        for (offset, byte) in bytes.enumerated() {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                if depth > 0 { inString = true }
            case UInt8(ascii: "{"):
                if depth == 0 { start = offset }
                depth += 1
            case UInt8(ascii: "}"):
                guard depth > 0 else { continue }
                depth -= 1
                if depth == 0 { documents.append(String(decoding: bytes[start...offset], as: UTF8.self)) }
            default:
                continue
            }
        }
        return documents
    }
}
