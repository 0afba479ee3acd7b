import Foundation
import LsmGit

/// `git lsm sync`: shares what lsm keeps in git — the session notes (`refs/notes/lsm`) and the
/// comment threads (`refs/lsm/comments/*`) — with a remote. Fetches the remote's into
/// `refs/lsm/sync/<remote>/…`, merges them into ours (notes: the union of sessions per commit, a notes
/// merge git has no JSON-aware strategy for and libgit2 none at all; threads: the union of their
/// operations), and pushes the result, fetching and merging again when someone pushed in between.
/// git itself talks to the remote, so credentials, SSH keys and `insteadOf` rules apply as usual.
public struct RepositorySync: Sendable {
    public struct NotesReport: Encodable, Sendable, Equatable {
        /// `up-to-date`, `fast-forward` (the remote's notes were newer) or `merged`.
        public var received: String
        /// Notes of ours a merge changed.
        public var mergedNotes: Int
    }

    public struct CommentsReport: Encodable, Sendable, Equatable {
        public init(new: Int, updated: Int, merged: Int) {
            self.new = new
            self.updated = updated
            self.merged = merged
        }

        /// Threads new to this clone.
        public var new: Int
        /// Threads that only had newer operations on the remote.
        public var updated: Int
        /// Threads both sides had changed, merged.
        public var merged: Int
    }

    public struct Report: Encodable, Sendable, Equatable {
        public var remote: String
        public var notes: NotesReport
        public var comments: CommentsReport
        /// Whether anything of ours went to the remote.
        public var pushed: Bool
    }

    static func trackingPrefix(_ remote: String) -> String { "refs/lsm/sync/\(remote)/" }
    static func notesTrackingRef(_ remote: String) -> String { trackingPrefix(remote) + "notes" }
    static func commentsTrackingPrefix(_ remote: String) -> String { trackingPrefix(remote) + "comments/" }

    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    public func sync(remote requested: String?, in repository: Repository) throws(LsmError) -> Report {
        let remote = try remoteName(requested, in: repository)
        let git = GitCommand(workspace: workspace)
        var attempts = 0
        while true {
            attempts += 1
            let remoteRefs = try fetch(remote, git: git, in: repository)
            let notes = try mergeNotes(remoteRefs.notes, in: repository)
            let comments = try mergeThreads(remoteRefs.threads, in: repository)
            let refspecs = try refspecsToPush(remoteRefs, in: repository)
            guard !refspecs.isEmpty else { return Report(remote: remote, notes: notes, comments: comments, pushed: false) }
            do {
                // Every remote tip is an ancestor of ours now, so these are fast-forwards unless someone
                // pushed since the fetch: then fetch and merge again.
                try git.run(["push", "--quiet", remote] + refspecs)
                return Report(remote: remote, notes: notes, comments: comments, pushed: true)
            } catch let error
                where attempts < 3 && ((error.cause ?? "").contains("rejected") || (error.cause ?? "").contains("fetch first"))
            {
                continue
            }
        }
    }

    /// What the remote has: its notes tip and each thread's tip (fetched into the tracking refs).
    struct RemoteRefs {
        var notes: ObjectID?
        var threads: [String: ObjectID]
    }

    private func fetch(_ remote: String, git: GitCommand, in repository: Repository) throws(LsmError) -> RemoteRefs {
        let listed = try git.run(["ls-remote", "--refs", remote, CommitNote.notesRef, CommentStore.refPrefix + "*"])
        var hasNotes = false
        var hasThreads = false
        for line in listed.split(separator: "\n") {
            guard let tab = line.firstIndex(of: "\t") else { continue }
            let name = line[line.index(after: tab)...]
            if name == CommitNote.notesRef { hasNotes = true }
            if name.hasPrefix(CommentStore.refPrefix) { hasThreads = true }
        }
        var refspecs: [String] = []
        if hasNotes { refspecs.append("+\(CommitNote.notesRef):\(Self.notesTrackingRef(remote))") }
        if hasThreads { refspecs.append("+\(CommentStore.refPrefix)*:\(Self.commentsTrackingPrefix(remote))*") }
        guard !refspecs.isEmpty else { return RemoteRefs(notes: nil, threads: [:]) }
        // --prune drops tracking refs of threads the remote no longer has.
        try git.run(["fetch", "--quiet", "--no-tags", "--prune", "--no-write-fetch-head", remote] + refspecs)
        do {
            let notes = hasNotes ? try repository.referenceTarget(Self.notesTrackingRef(remote)) : nil
            var threads: [String: ObjectID] = [:]
            let prefix = Self.commentsTrackingPrefix(remote)
            if hasThreads {
                for (name, tip) in try repository.references(withPrefix: prefix) { threads[String(name.dropFirst(prefix.count))] = tip }
            }
            return RemoteRefs(notes: notes, threads: threads)
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    private func mergeNotes(_ remoteTip: ObjectID?, in repository: Repository) throws(LsmError) -> NotesReport {
        guard let remoteTip else { return NotesReport(received: "up-to-date", mergedNotes: 0) }
        let author = CommitRecorder(workspace: workspace).noteAuthor(repository)
        do {
            switch try repository.mergeNotes(
                remoteTip, into: CommitNote.notesRef, author: author, { _, ours, theirs in CommitNote.mergeTexts(ours, theirs) })
            {
            case .upToDate: return NotesReport(received: "up-to-date", mergedNotes: 0)
            case .fastForward: return NotesReport(received: "fast-forward", mergedNotes: 0)
            case .merged(let changed): return NotesReport(received: "merged", mergedNotes: changed)
            }
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    private func mergeThreads(_ threads: [String: ObjectID], in repository: Repository) throws(LsmError) -> CommentsReport {
        var report = CommentsReport(new: 0, updated: 0, merged: 0)
        guard !threads.isEmpty else { return report }
        let store = CommentStore(repository: repository)
        let signature = CommitRecorder(workspace: workspace).noteAuthor(repository)
        let author = CommentOperation.Author(name: signature.name, email: signature.email)
        for (id, tip) in threads.sorted(by: { $0.key < $1.key }) where Self.isThreadID(id) {
            switch try store.merge(id, remoteTip: tip, author: author, at: workspace.now()) {
            case .created: report.new += 1
            case .fastForward: report.updated += 1
            case .merged: report.merged += 1
            case .upToDate: continue
            }
        }
        return report
    }

    /// Thread ids are operation ids: 40 lowercase hex digits. Anything else a remote holds is ignored.
    static func isThreadID(_ id: String) -> Bool {
        id.count == 40 && id.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    /// The refs of ours the remote lacks or has older.
    private func refspecsToPush(_ remote: RemoteRefs, in repository: Repository) throws(LsmError) -> [String] {
        do {
            var refspecs: [String] = []
            if let notes = try repository.referenceTarget(CommitNote.notesRef), notes != remote.notes {
                refspecs.append("\(CommitNote.notesRef):\(CommitNote.notesRef)")
            }
            for (name, tip) in try repository.references(withPrefix: CommentStore.refPrefix) {
                let id = String(name.dropFirst(CommentStore.refPrefix.count))
                if remote.threads[id] != tip { refspecs.append("\(name):\(name)") }
            }
            return refspecs
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    /// The remote to sync with: the one named, else the current branch's upstream remote, else
    /// `origin`; it must exist.
    func remoteName(_ requested: String?, in repository: Repository) throws(LsmError) -> String {
        let config: GitConfig
        do { config = try repository.config(environment: workspace.environment) } catch { throw LsmError.unreadableConfig(error) }
        var name = requested
        if name == nil, let branch = try? repository.head().branchName {
            name = (try? config.string("branch.\(branch).remote")) ?? nil
        }
        let chosen = name ?? "origin"
        guard !chosen.isEmpty, !chosen.hasPrefix("-"), !chosen.contains("/"), (try? config.string("remote.\(chosen).url")) ?? nil != nil
        else {
            throw LsmError(
                .user, requested == nil ? "no remote to sync with" : "no remote named '\(chosen)'",
                hint: "git remote -v lists the remotes; pass one: git lsm sync <remote>")
        }
        return chosen
    }

    /// `git lsm sync --configure`: fetch refspecs so a plain `git fetch` brings the remote's notes and
    /// threads into the tracking refs (which `git lsm sync` then merges). Returns the refspecs added.
    public func configure(remote requested: String?, in repository: Repository) throws(LsmError) -> [String] {
        let remote = try remoteName(requested, in: repository)
        // Both are patterns: a plain ref the remote lacks would make every `git fetch` fail, while a
        // pattern that matches nothing is fine (`lsm*` matches `refs/notes/lsm` itself).
        let wanted = [
            "+\(CommitNote.notesRef)*:\(Self.notesTrackingRef(remote))*",
            "+\(CommentStore.refPrefix)*:\(Self.commentsTrackingPrefix(remote))*",
        ]
        do {
            let existing = try repository.localConfigValues("remote.\(remote).fetch")
            let added = wanted.filter { !existing.contains($0) }
            for refspec in added { try repository.addLocalConfigValue("remote.\(remote).fetch", refspec) }
            return added
        } catch {
            throw LsmError(.user, "cannot update the repository's git config", cause: error.message)
        }
    }
}
