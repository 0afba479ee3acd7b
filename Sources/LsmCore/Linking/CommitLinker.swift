import Foundation
import LsmGit
import LsmStore

/// `git lsm link`: ties commits made without lsm's hooks to the sessions that made them, from what
/// the transcripts show — the commit ids `git commit` printed, and edits that wrote the commits'
/// lines — then time and branch. Links are kept in the index; notes are written only when asked.
public struct CommitLinker: Sendable {
    /// A session may have made commits this long before its first recorded activity.
    static let startSlack: TimeInterval = 5 * 60
    /// Edits stamped up to this long after a commit's time (whole seconds) count as made before it.
    static let clockSlack: TimeInterval = 60

    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// Links the repository's sessions active since `since` (all when `nil`) to the commits reachable
    /// from HEAD and the local branches made while each was at work (`lsm.hooks.window` after its
    /// last activity). Stores the links, replacing those of the same sessions; with `writeNotes`,
    /// adds the links at least `CommitLink.noteThreshold` sure to the commits' notes.
    public func link(since: Date?, writeNotes: Bool, in repository: Repository) throws(LsmError) -> LinkReport {
        do {
            return try linkThrowing(since: since, writeNotes: writeNotes, in: repository)
        } catch let error as LsmError {
            throw error
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    private func linkThrowing(since: Date?, writeNotes: Bool, in repository: Repository) throws -> LinkReport {
        let head = try repository.head()
        guard let headCommit = head.commit else {
            throw LsmError(.user, "branch '\(head.branchName ?? "HEAD")' has no commits yet", hint: "commit first, then run git lsm link")
        }
        let settings = try Settings.load(in: workspace, repository: repository)
        let (catalog, _) = try workspace.refreshedCatalog()
        let common = repository.commonDirectory
        let sessions = try catalog.sessions(SessionFilter(repoCommonDir: common, activeSince: since?.timeIntervalSince1970))
        var windows: [String: ClosedRange<Date>] = [:]
        for session in sessions {
            guard let start = session.startedAt ?? session.lastActivityAt, let end = session.lastActivityAt ?? session.startedAt else {
                continue
            }
            windows[Self.key(session)] =
                start.addingTimeInterval(-Self.startSlack)...max(start, end).addingTimeInterval(settings.hookWindow)
        }
        let commits: [Commit]
        if let earliest = windows.values.map(\.lowerBound).min() {
            let branches = try repository.references(withPrefix: "refs/heads/").map(\.target)
            commits = try repository.history(from: Array(Set([headCommit] + branches)).sorted(), committedSince: earliest)
        } else {
            commits = []
        }
        let trails = SessionTrailReader(sessionKeys: Set(sessions.map(Self.key))).read(
            try catalog.index.transcripts(ofSessions: sessions.map(Self.key)))
        var changes = ChangeCache(repository: repository)
        var branchTips: [String: ObjectID?] = [:]
        var links: [(link: CommitLink, time: Date)] = []
        for session in sessions {
            guard let window = windows[Self.key(session)] else { continue }
            let trail = trails[Self.key(session)] ?? SessionTrail()
            let edits = trail.edits.compactMap { edit in relative(edit.path, session: session, in: repository).map { (edit, $0) } }
            for commit in commits where window.contains(commit.committer.date) {
                let cutoff = commit.committer.date.addingTimeInterval(Self.clockSlack)
                var written: [String: Set<String>] = [:]
                for (edit, path) in edits where edit.time.map({ $0 <= cutoff }) ?? true { written[path, default: []].formUnion(edit.lines) }
                let named = trail.namedCommits.contains { commit.id.hex.hasPrefix($0.hash) }
                let branch = try onBranch(commit.id, session.branch, tips: &branchTips, in: repository) ? session.branch : nil
                guard
                    let weighed = LinkEvidence.weigh(
                        try changes.of(commit), shortID: commit.id.abbreviated(), edits: written, namedInOutput: named,
                        sessionEdits: !trail.edits.isEmpty, branch: branch)
                else { continue }
                let link = CommitLink(
                    commit: commit.id.hex, agent: session.agent, session: session.id, confidence: weighed.confidence,
                    evidence: weighed.evidence, matchedLines: weighed.matchedLines, addedLines: weighed.addedLines,
                    filesTouched: weighed.filesTouched)
                links.append((link, commit.committer.date))
            }
        }
        links.sort { ($0.link.confidence, $0.time, $1.link.session) > ($1.link.confidence, $1.time, $0.link.session) }
        let found = links.map(\.link)
        try store(found, examined: sessions.map(Self.key), repoCommonDir: common, index: catalog.index)
        var written = 0
        if writeNotes {
            let byID = Dictionary(commits.map { ($0.id.hex, $0) }, uniquingKeysWith: { first, _ in first })
            written = try NoteWriter(workspace: workspace, catalog: catalog, sessions: sessions).write(
                found.filter { $0.confidence >= CommitLink.noteThreshold }, commits: byID, in: repository)
        }
        return LinkReport(links: found, notesWritten: written, sessionsExamined: sessions.count, commitsExamined: commits.count)
    }

    private func store(_ links: [CommitLink], examined: [String], repoCommonDir: String, index: IndexDatabase) throws {
        let now = workspace.now().timeIntervalSince1970
        let records = links.map { link in
            CommitLinkRecord(
                repoCommonDir: repoCommonDir, commit: link.commit, sessionKey: "\(link.agent):\(link.session)", confidence: link.confidence,
                evidence: StoredEvidence(link).encoded(), linkedAt: now)
        }
        try index.replaceCommitLinks(repoCommonDir: repoCommonDir, sessionKeys: examined, with: records)
    }

    /// Whether `commit` is on the local branch `branch`.
    private func onBranch(_ commit: ObjectID, _ branch: String?, tips: inout [String: ObjectID?], in repository: Repository) throws
        -> Bool
    {
        guard let branch else { return false }
        if tips[branch] == nil { tips[branch] = .some(try repository.referenceTarget("refs/heads/\(branch)")) }
        guard let tip = tips[branch] ?? nil else { return false }
        return try tip == commit || repository.isAncestor(commit, of: tip)
    }

    /// A tool's path relative to the repository root: absolute paths under the session's work tree
    /// (a linked worktree's, perhaps) or this one; relative ones from the session's directory.
    func relative(_ path: String, session: SessionSummary, in repository: Repository) -> String? {
        let absolute: String
        if path.hasPrefix("/") {
            absolute = path
        } else if let cwd = session.cwd {
            absolute = (cwd as NSString).appendingPathComponent(path)
        } else {
            return path.isEmpty ? nil : path
        }
        let standardized = URL(fileURLWithPath: absolute).standardizedFileURL.path
        for root in [session.repo, repository.workDirectory].compactMap({ $0 }) where standardized.hasPrefix(root + "/") {
            return String(standardized.dropFirst(root.count + 1))
        }
        return nil
    }

    static func key(_ session: SessionSummary) -> String { "\(session.agent):\(session.id)" }
}

/// Each commit's changes, read from git once however many sessions it is compared with.
private struct ChangeCache {
    let repository: Repository
    var cache: [ObjectID: LinkEvidence.Changes] = [:]

    mutating func of(_ commit: Commit) throws -> LinkEvidence.Changes {
        if let known = cache[commit.id] { return known }
        var changes = LinkEvidence.Changes(files: [], addedLines: [:])
        // A merge's diff from its first parent is the merged branch's work, not the merge's.
        if commit.parents.count <= 1 {
            for file in try repository.diffTrees(from: commit.parents.first, to: commit.id, options: DiffOptions(contextLines: 0)) {
                changes.files.formUnion([file.oldPath, file.newPath].filter { !$0.isEmpty })
                let added = file.hunks.flatMap(\.lines).filter { $0.origin == .addition }.flatMap { SessionTrail.comparableLines($0.text) }
                if !added.isEmpty { changes.addedLines[file.newPath, default: []] += added }
            }
        }
        cache[commit.id] = changes
        return changes
    }
}

/// A link's evidence as the index stores it (JSON), and as `git lsm log` reads it back.
struct StoredEvidence: Codable, Equatable {
    var evidence: [String]
    var matchedLines: Int
    var addedLines: Int
    var filesTouched: [String]

    init(_ link: CommitLink) {
        evidence = link.evidence
        matchedLines = link.matchedLines
        addedLines = link.addedLines
        filesTouched = link.filesTouched
    }

    func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    static func decode(_ text: String) -> StoredEvidence? { try? JSONDecoder().decode(StoredEvidence.self, from: Data(text.utf8)) }
}
