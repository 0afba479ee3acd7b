import Foundation
import LsmGit
import LsmStore

/// Writes the notes under `refs/notes/lsm` that tie commits to the agent sessions behind them.
public struct CommitRecorder: Sendable {
    /// Tools whose paths are files the session changed (Claude Code's and Codex's editing tools).
    static let editingTools: Set<String> = ["Edit", "MultiEdit", "Write", "NotebookEdit", "apply_patch"]

    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// Records the note for a commit `post-commit` reported: the sessions at work for new work, the
    /// source's note for a cherry-pick, nothing for commits `post-rewrite` handles. Returns the note
    /// written, or `nil` when there was nothing to record.
    @discardableResult
    public func recordCommit(_ id: ObjectID, in repository: Repository) throws(LsmError) -> CommitNote? {
        do {
            switch try CommitOrigin.of(id, in: repository) {
            case .newWork:
                return try recordNewWork(id, in: repository)
            case .cherryPick:
                return try carryCherryPick(id, in: repository)
            case .amend, .rebase, .other:
                return nil
            }
        } catch let error as LsmError {
            throw error
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    /// The sessions at work in the repository on its current branch: live, or active within
    /// `lsm.hooks.window`, as the transcripts (read into the index first) and the agent hooks tell.
    public func activeSessions(in repository: Repository) throws(LsmError) -> ActiveSessions {
        let settings = try Settings.load(in: workspace, repository: repository)
        let (catalog, _) = try workspace.refreshedCatalog()
        let since = workspace.now().addingTimeInterval(-settings.hookWindow)
        let branch: String?
        do { branch = try repository.head().branchName } catch { throw LsmError.wrapping(error) }
        let common = repository.commonDirectory
        var chosen = try catalog.sessions(SessionFilter(repoCommonDir: common)).filter { session in
            (session.live || (session.lastActivityAt ?? .distantPast) >= since)
                && (branch == nil || session.branch == nil || session.branch == branch)
        }
        let activity: [AgentActivity]
        do { activity = try catalog.index.activity(repoCommonDir: common, since: since.timeIntervalSince1970) } catch {
            throw LsmError.wrapping(error)
        }
        for reported in activity where !chosen.contains(where: { SessionKey.make(agent: $0.agent, $0.id) == reported.sessionKey }) {
            var filter = SessionFilter()
            filter.key = reported.sessionKey
            chosen += try catalog.sessions(filter)
        }
        return ActiveSessions(catalog: catalog, branch: branch, sessions: chosen, activity: activity)
    }

    /// The sessions at work when `commit` was made, as its note records them.
    public func sessionsAtWork(on commit: Commit, in repository: Repository) throws(LsmError) -> [CommitNote.Session] {
        let active = try activeSessions(in: repository)
        let (catalog, branch, chosen, activity) = (active.catalog, active.branch, active.sessions, active.activity)
        let now = workspace.now()
        let changed = try changedFiles(commit, in: repository)
        let parentTime = try parentCommitTime(commit, in: repository)
        var sessions: [CommitNote.Session] = []
        for summary in chosen {
            let key = SessionKey.make(agent: summary.agent, summary.id)
            let edited = try editedFiles(key: key, catalog: catalog, repository: repository)
                .union(
                    activity.first { $0.sessionKey == key }.map { Set($0.editedPaths.compactMap { relative($0, in: repository) }) } ?? [])
            let (usage, cost) = try usageBetween(key: key, agent: summary.agent, after: parentTime, through: now, catalog: catalog)
            sessions.append(
                CommitNote.Session(
                    agent: summary.agent, id: summary.id, model: summary.model, usage: usage, costUSD: cost,
                    health: .init(score: summary.health.score, contextFill: summary.contextFill),
                    filesTouched: edited.intersection(changed).sorted(), branch: summary.branch, lastActivityAt: summary.lastActivityAt))
        }
        // Sessions the hooks reported but whose transcripts the index has not read yet.
        for reported in activity where !sessions.contains(where: { SessionKey.make(agent: $0.agent, $0.id) == reported.sessionKey }) {
            let edited = Set(reported.editedPaths.compactMap { relative($0, in: repository) })
            sessions.append(
                CommitNote.Session(
                    agent: reported.agent, id: reported.id, model: nil, usage: nil, costUSD: nil, health: nil,
                    filesTouched: edited.intersection(changed).sorted(), branch: branch,
                    lastActivityAt: Date(timeIntervalSince1970: reported.lastEventAt)))
        }
        return sessions.sorted { ($0.agent, $0.id) < ($1.agent, $1.id) }
    }

    private func recordNewWork(_ id: ObjectID, in repository: Repository) throws -> CommitNote? {
        let commit = try repository.commit(id)
        let sessions = try sessionsAtWork(on: commit, in: repository)
        guard !sessions.isEmpty else { return nil }
        let note = CommitNote(sessions: sessions, recordedAt: workspace.now())
        let written = try repository.updateNote(for: id, notesRef: CommitNote.notesRef, author: noteAuthor(repository)) { current in
            CommitNote.mergeTexts(current, note.encoded())
        }
        return written.flatMap(CommitNote.parse)
    }

    /// A cherry-picked commit keeps its source's author, date and message: the noted commit that
    /// matches them is the source, and its note is carried.
    private func carryCherryPick(_ id: ObjectID, in repository: Repository) throws -> CommitNote? {
        let commit = try repository.commit(id)
        for (object, _) in try repository.notedObjects(notesRef: CommitNote.notesRef) where object != id {
            guard let source = try? repository.commit(object), source.author == commit.author, source.message == commit.message else {
                continue
            }
            guard let text = try repository.note(for: object, notesRef: CommitNote.notesRef), var note = CommitNote.parse(text) else {
                continue
            }
            note.rewrittenFrom = ((note.rewrittenFrom ?? []) + [object.hex]).sorted()
            let carried = note
            let written = try repository.updateNote(for: id, notesRef: CommitNote.notesRef, author: noteAuthor(repository)) { current in
                CommitNote.mergeTexts(current, carried.encoded())
            }
            return written.flatMap(CommitNote.parse)
        }
        return nil
    }

    /// Carries notes across rewritten history (`post-rewrite`'s old → new pairs): each new commit gets
    /// the union of its own note and its old commits' notes, and names them in `rewrittenFrom`. Also
    /// merges the notes git concatenated for squashed commits. Returns how many notes changed.
    @discardableResult
    public func carryNotes(_ rewrites: [(old: ObjectID, new: ObjectID)], in repository: Repository) throws(LsmError) -> Int {
        do {
            var sources: [ObjectID: [ObjectID]] = [:]
            var order: [ObjectID] = []
            for rewrite in rewrites {
                if sources[rewrite.new] == nil { order.append(rewrite.new) }
                sources[rewrite.new, default: []].append(rewrite.old)
            }
            var oldNotes: [ObjectID: CommitNote] = [:]
            for old in Set(rewrites.map(\.old)) {
                if let text = try repository.note(for: old, notesRef: CommitNote.notesRef), let note = CommitNote.parse(text) {
                    oldNotes[old] = note
                }
            }
            return try repository.updateNotes(
                for: order, notesRef: CommitNote.notesRef, author: noteAuthor(repository), message: "lsm: carry notes across rewrite"
            ) { new, current in
                let olds = sources[new] ?? []
                // The old commits' work summed (git's concatenated copy of their notes would keep one
                // commit's part of a session); what else the new commit's note holds is kept.
                let carried = CommitNote.combining(olds.compactMap { oldNotes[$0] })
                let existing = current.flatMap(CommitNote.parse)
                guard var note = carried.map({ carried in existing.map { carried.addingSessions(onlyIn: $0) } ?? carried }) ?? existing
                else { return current }
                let rewrittenFrom = Set((note.rewrittenFrom ?? []) + olds.filter { oldNotes[$0] != nil }.map(\.hex))
                note.rewrittenFrom = rewrittenFrom.isEmpty ? nil : rewrittenFrom.sorted()
                return note.encoded()
            }
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    private func changedFiles(_ commit: Commit, in repository: Repository) throws(LsmError) -> Set<String> {
        do {
            let diffs = try repository.diffTrees(from: commit.parents.first, to: commit.id, options: DiffOptions(filesOnly: true))
            return Set(diffs.flatMap { [$0.oldPath, $0.newPath] }.filter { !$0.isEmpty })
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    private func parentCommitTime(_ commit: Commit, in repository: Repository) throws(LsmError) -> Date? {
        do {
            return try commit.parents.first.map { (parent) throws(GitError) in try repository.commit(parent).committer.date }
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    private func editedFiles(key: String, catalog: SessionCatalog, repository: Repository) throws(LsmError) -> Set<String> {
        do {
            let detail = try catalog.index.sessionDetail(key: key)
            return Set(detail.toolUses.filter { Self.editingTools.contains($0.tool) }.compactMap { relative($0.path, in: repository) })
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    func usageBetween(key: String, agent: String, after: Date?, through: Date, catalog: SessionCatalog) throws(LsmError) -> (
        CommitNote.Usage?, Double?
    ) {
        guard AgentKind(rawValue: agent)?.recordsUsage != false else { return (nil, nil) }
        let groups: [ModelUsage]
        do {
            groups = try catalog.index.sessionUsage(key: key, after: after?.timeIntervalSince1970, through: through.timeIntervalSince1970)
        } catch {
            throw LsmError.wrapping(error)
        }
        var total = TokenUsage.zero
        var cost: Double? = 0
        for group in groups {
            total += group.tokens
            let groupCost = group.cost(with: catalog.prices.price(for: group.model))
            cost = cost.flatMap { sum in groupCost.map { sum + $0 } }
        }
        return (CommitNote.Usage(input: total.input, output: total.output, cacheWrite: total.cacheWrite, cacheRead: total.cacheRead), cost)
    }

    /// `path` relative to the work tree, or `nil` when it lies outside it. Relative paths are taken
    /// as already relative.
    func relative(_ path: String, in repository: Repository) -> String? {
        guard path.hasPrefix("/") else { return path.isEmpty ? nil : path }
        guard let root = repository.workDirectory else { return nil }
        let standardized = URL(fileURLWithPath: path).standardizedFileURL.path
        guard standardized.hasPrefix(root + "/") else { return nil }
        return String(standardized.dropFirst(root.count + 1))
    }

    func noteAuthor(_ repository: Repository) -> Signature {
        let identity = try? repository.config(environment: workspace.environment).userIdentity()
        return Signature(name: identity?.name ?? "git-lsm", email: identity?.email ?? "git-lsm@localhost", date: workspace.now())
    }
}

/// The sessions at work in a repository, and what was read to find them.
public struct ActiveSessions: Sendable {
    public var catalog: SessionCatalog
    public var branch: String?
    /// Sessions the index knows.
    public var sessions: [SessionSummary]
    /// What the agent hooks reported, including sessions whose transcripts the index has not read yet.
    public var activity: [AgentActivity]

    /// `agent/id` of every session, for trailers.
    public var references: [String] {
        var seen = Set<String>()
        let all = sessions.map { "\($0.agent)/\($0.id)" } + activity.map { "\($0.agent)/\($0.id)" }
        return all.filter { seen.insert($0).inserted }.sorted()
    }
}

extension SessionKey {
    /// The index's key for an agent (by its name) and session id.
    static func make(agent: String, _ id: String) -> String { "\(agent):\(id)" }
}
