import Foundation
import LsmGit
import LsmStore

/// `git lsm log`: commits with the agent sessions behind them (from lsm's notes, and from
/// `LSM-Session` trailers where no note says more), and what the range cost.
public struct CommitLog: Sendable {
    /// Where a commit's tie to a session comes from.
    public enum Source: String, Encodable, Sendable {
        /// A note under `refs/notes/lsm`, written by the hooks at commit time.
        case note
        /// A note carried from a rewritten commit (amend, rebase, cherry-pick): not new work.
        case rewritten
        /// An `LSM-Session` trailer in the message, without a note.
        case trailer
        /// A link `git lsm link` inferred from the session's transcript, without a note naming the
        /// session: it carries no usage.
        case inferred
    }

    public struct LoggedSession: Encodable, Sendable, Equatable {
        public var source: Source
        public var agent: String
        public var id: String
        public var model: String?
        public var usage: CommitNote.Usage?
        public var costUSD: Double?
        public var health: CommitNote.Health?
        public var filesTouched: [String]
        /// How sure an inferred link is (0–1); `nil` for the other sources.
        public var confidence: Double? = nil

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(source, forKey: .source)
            try container.encode(agent, forKey: .agent)
            try container.encode(id, forKey: .id)
            try container.encode(model, forKey: .model)
            try container.encode(usage, forKey: .usage)
            try container.encode(costUSD, forKey: .costUSD)
            try container.encode(health, forKey: .health)
            try container.encode(filesTouched, forKey: .filesTouched)
            try container.encode(confidence, forKey: .confidence)
        }

        enum CodingKeys: String, CodingKey {
            case source, agent, id, model, usage, costUSD, health, filesTouched, confidence
        }
    }

    public struct Entry: Encodable, Sendable, Equatable {
        public var commit: String
        public var parents: [String]
        public var author: String
        public var authorEmail: String
        public var date: Date
        public var subject: String
        public var sessions: [LoggedSession]
    }

    public struct Totals: Encodable, Sendable, Equatable {
        public var commits: Int
        public var commitsWithSessions: Int
        /// Distinct sessions behind the range's commits.
        public var sessions: Int
        /// Tokens of the range's work, each call once (a carried note counts unless its original is in the range).
        public var usage: CommitNote.Usage
        /// Their cost; `nil` when no session in the range had a known price.
        public var costUSD: Double?
        /// Whether some session's cost is unknown, so `costUSD` is a lower bound.
        public var costIncomplete: Bool
        /// Sessions shown from inferred links: they carry no usage, so `usage` leaves them out.
        public var inferredLinks = 0
    }

    public struct Report: Encodable, Sendable, Equatable {
        public var schema = "lsm.log/1"
        public var range: String
        public var commits: [Entry]
        public var totals: Totals
    }

    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// The commits of `range` (`git log` syntax: `A..B`, `A...B`, a revision; HEAD when `nil`), newest
    /// first, at most `limit` of them.
    public func log(range: String?, limit: Int?, in repository: Repository) throws(LsmError) -> Report {
        if let limit, limit < 0 { throw LsmError(.user, "-n must be 0 or more, not \(limit)") }
        let expression = range ?? "HEAD"
        let commits: [Commit]
        do {
            if range == nil, case .unborn(let branch) = try repository.head() {
                throw LsmError(.user, "branch '\(branch)' has no commits yet", hint: "commit first, then run git lsm log")
            }
            let revisions = try repository.revisionRange(expression)
            commits = try repository.history(from: revisions.tips, excluding: revisions.excluded, limit: limit)
        } catch let error as LsmError {
            throw error
        } catch let error as GitError where [.notFound, .invalidSpec, .ambiguous].contains(error.code) {
            throw LsmError(.user, "unknown revision or range '\(expression)'", hint: "use git log's syntax, e.g. main..HEAD")
        } catch {
            throw LsmError.wrapping(error)
        }
        let inferred = try inferredLinks(in: repository)
        var entries: [Entry] = []
        var totals = Totals(commits: 0, commitsWithSessions: 0, sessions: 0, usage: .zero, costUSD: nil, costIncomplete: false)
        var seen = Set<String>()
        let inRange = Set(commits.map(\.id.hex))
        for commit in commits {
            let note = try self.note(of: commit, in: repository)
            let sessions = sessions(of: commit, note: note, inferred: inferred[commit.id.hex] ?? [])
            // A note carried through a rebase or amend is the branch's work now, unless the commit it
            // came from is in the range too (a cherry-pick): then it was counted there.
            let carriedFromRange = (note?.rewrittenFrom ?? []).contains { inRange.contains($0) }
            entries.append(
                Entry(
                    commit: commit.id.hex, parents: commit.parents.map(\.hex), author: commit.author.name, authorEmail: commit.author.email,
                    date: commit.author.date, subject: commit.summary, sessions: sessions))
            totals.commits += 1
            if !sessions.isEmpty { totals.commitsWithSessions += 1 }
            for session in sessions {
                seen.insert("\(session.agent)/\(session.id)")
                if session.source == .inferred { totals.inferredLinks += 1 }
                let counted = session.source == .note || (session.source == .rewritten && !carriedFromRange)
                guard counted, let usage = session.usage else { continue }
                totals.usage = totals.usage + usage
                if let cost = session.costUSD {
                    totals.costUSD = (totals.costUSD ?? 0) + cost
                } else if usage.total > 0 {
                    totals.costIncomplete = true
                }
            }
        }
        totals.sessions = seen.count
        return Report(range: expression, commits: entries, totals: totals)
    }

    /// `commit`'s lsm note, read once per commit.
    private func note(of commit: Commit, in repository: Repository) throws(LsmError) -> CommitNote? {
        do {
            return try repository.note(for: commit.id, notesRef: CommitNote.notesRef).flatMap(CommitNote.parse)
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    /// The sessions behind one commit: its note's, then trailers naming sessions the note does not,
    /// then `inferred` links to sessions neither names.
    func sessions(of commit: Commit, note: CommitNote?, inferred: [CommitLinkRecord] = []) -> [LoggedSession] {
        var sessions: [LoggedSession] = []
        if let note {
            let source: Source = (note.rewrittenFrom ?? []).isEmpty ? .note : .rewritten
            sessions = note.sessions.map { session in
                LoggedSession(
                    source: source, agent: session.agent, id: session.id, model: session.model, usage: session.usage,
                    costUSD: session.costUSD, health: session.health, filesTouched: session.filesTouched)
            }
        }
        for reference in Self.sessionTrailers(in: commit.message) {
            guard !sessions.contains(where: { "\($0.agent)/\($0.id)" == reference }), let slash = reference.firstIndex(of: "/") else {
                continue
            }
            sessions.append(
                LoggedSession(
                    source: .trailer, agent: String(reference[..<slash]), id: String(reference[reference.index(after: slash)...]),
                    model: nil,
                    usage: nil, costUSD: nil, health: nil, filesTouched: []))
        }
        for link in inferred {
            guard let colon = link.sessionKey.firstIndex(of: ":") else { continue }
            let agent = String(link.sessionKey[..<colon])
            let id = String(link.sessionKey[link.sessionKey.index(after: colon)...])
            guard !sessions.contains(where: { $0.agent == agent && $0.id == id }) else { continue }
            sessions.append(
                LoggedSession(
                    source: .inferred, agent: agent, id: id, model: nil, usage: nil, costUSD: nil, health: nil,
                    filesTouched: StoredEvidence.decode(link.evidence)?.filesTouched ?? [], confidence: link.confidence))
        }
        return sessions
    }

    /// The links `git lsm link` stored for the repository, by commit; none when there is no index yet.
    private func inferredLinks(in repository: Repository) throws(LsmError) -> [String: [CommitLinkRecord]] {
        guard FileManager.default.fileExists(atPath: workspace.indexLocation.databaseFile.path) else { return [:] }
        do {
            let links = try workspace.openIndex().commitLinks(repoCommonDir: repository.commonDirectory)
            return Dictionary(grouping: links, by: \.commit)
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    /// `agent/id` of each `LSM-Session` trailer of `message`.
    static func sessionTrailers(in message: String) -> [String] {
        MessageTrailers.parse(message).filter { $0.key.caseInsensitiveCompare("LSM-Session") == .orderedSame }
            .map { $0.value.trimmingCharacters(in: .whitespaces) }.filter { $0.contains("/") }
    }
}
