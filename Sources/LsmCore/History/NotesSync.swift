import Foundation
import LsmGit

/// `git lsm sync`: shares lsm's notes with a remote. Fetches its `refs/notes/lsm`, merges it with
/// ours (the union of sessions per commit; git has no such notes merge strategy and libgit2 none at
/// all), and pushes the result, retrying when someone else pushed in between.
public struct NotesSync: Sendable {
    public struct Report: Encodable, Sendable, Equatable {
        public var remote: String
        /// What the fetched notes did to ours: `up-to-date`, `fast-forward` or `merged`.
        public var received: String
        /// Notes of ours changed by a merge.
        public var mergedNotes: Int
        /// Whether ours were pushed (`false` when the remote already had them).
        public var pushed: Bool
    }

    /// Where fetched notes wait to be merged.
    static func trackingRef(_ remote: String) -> String { "refs/lsm/sync/\(remote)/notes" }

    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    public func sync(remote requested: String?, in repository: Repository) throws(LsmError) -> Report {
        let remote = try remoteName(requested, in: repository)
        let git = GitCommand(workspace: workspace)
        let author = CommitRecorder(workspace: workspace).noteAuthor(repository)
        var attempts = 0
        while true {
            attempts += 1
            var received = "up-to-date"
            var mergedNotes = 0
            let remoteTip = try fetch(remote, git: git, in: repository)
            if let remoteTip {
                let result: Repository.NotesMerge
                do {
                    result = try repository.mergeNotes(remoteTip, into: CommitNote.notesRef, author: author) { _, ours, theirs in
                        CommitNote.mergeTexts(ours, theirs)
                    }
                } catch {
                    throw LsmError.wrapping(error)
                }
                switch result {
                case .upToDate: received = "up-to-date"
                case .fastForward: received = "fast-forward"
                case .merged(let changed):
                    received = "merged"
                    mergedNotes = changed
                }
            }
            let localTip: ObjectID?
            do { localTip = try repository.referenceTarget(CommitNote.notesRef) } catch { throw LsmError.wrapping(error) }
            guard let localTip, localTip != remoteTip else {
                return Report(remote: remote, received: received, mergedNotes: mergedNotes, pushed: false)
            }
            do {
                // The remote's tip is an ancestor of ours now, so this is a fast-forward unless someone
                // pushed since the fetch: then fetch and merge again.
                try git.run(["push", "--quiet", remote, "\(CommitNote.notesRef):\(CommitNote.notesRef)"])
                return Report(remote: remote, received: received, mergedNotes: mergedNotes, pushed: true)
            } catch let error where attempts < 3 && (error.cause ?? "").contains("rejected") {
                continue
            }
        }
    }

    /// The remote to sync with: the one named, else the current branch's upstream remote, else
    /// `origin`; it must exist.
    private func remoteName(_ requested: String?, in repository: Repository) throws(LsmError) -> String {
        let config: GitConfig
        do { config = try repository.config(environment: workspace.environment) } catch { throw LsmError.unreadableConfig(error) }
        var name = requested
        if name == nil, let branch = try? repository.head().branchName {
            name = (try? config.string("branch.\(branch).remote")) ?? nil
        }
        let chosen = name ?? "origin"
        guard !chosen.isEmpty, !chosen.hasPrefix("-"), (try? config.string("remote.\(chosen).url")) ?? nil != nil else {
            throw LsmError(
                .user, requested == nil ? "no remote to sync with" : "no remote named '\(chosen)'",
                hint: "git remote -v lists the remotes; pass one: git lsm sync <remote>")
        }
        return chosen
    }

    /// Fetches the remote's notes into the tracking ref; `nil` when the remote has none yet.
    private func fetch(_ remote: String, git: GitCommand, in repository: Repository) throws(LsmError) -> ObjectID? {
        let listed = try git.run(["ls-remote", "--refs", remote, CommitNote.notesRef])
        guard listed.split(separator: "\n").contains(where: { $0.hasSuffix("\t" + CommitNote.notesRef) }) else { return nil }
        let tracking = Self.trackingRef(remote)
        try git.run(["fetch", "--quiet", "--no-tags", remote, "+\(CommitNote.notesRef):\(tracking)"])
        do { return try repository.referenceTarget(tracking) } catch { throw LsmError.wrapping(error) }
    }
}
