import Foundation
import LsmGit

/// Comment threads in git: one ref per thread, `refs/lsm/comments/<thread id>`, pointing at a chain
/// of commits. Each commit's tree holds `ops` (a pack of operations, JSON), `clock` (the highest
/// Lamport clock so far) and, in the thread's first commit, `anchor-blob` (the anchored file, so the
/// anchor's text travels with the thread). Writers publish with compare-and-swap and retry, so
/// concurrent writers lose nothing; threads from another clone merge by union of operations.
public struct CommentStore {
    public static let refPrefix = "refs/lsm/comments/"

    public let repository: Repository
    /// Threads folded by earlier listings, when the caller keeps them (the MCP server).
    public let cache: CommentThreadCache?

    public init(repository: Repository, cache: CommentThreadCache? = nil) {
        self.repository = repository
        self.cache = cache
    }

    static func ref(_ threadID: String) -> String { refPrefix + threadID }

    /// Every thread's id and tip commit, by id.
    public func threadTips() throws(LsmError) -> [(id: String, tip: ObjectID)] {
        do {
            return try repository.references(withPrefix: Self.refPrefix).map {
                (String($0.name.dropFirst(Self.refPrefix.count)), $0.target)
            }
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    /// Every thread's tips: ours, then what `git fetch` brought into `refs/lsm/sync/<remote>/comments/`
    /// (merged by `git lsm sync`, but shown before that).
    public func allThreadTips() throws(LsmError) -> [String: [ObjectID]] {
        var tips: [String: [ObjectID]] = [:]
        for (id, tip) in try threadTips() { tips[id, default: []].append(tip) }
        do {
            for (name, tip) in try repository.references(withPrefix: "refs/lsm/sync/") {
                guard let range = name.range(of: "/comments/") else { continue }
                let id = String(name[range.upperBound...])
                guard id.count == 40, id.allSatisfy(\.isHexDigit), tips[id]?.contains(tip) != true else { continue }
                tips[id, default: []].append(tip)
            }
        } catch {
            throw LsmError.wrapping(error)
        }
        return tips
    }

    /// All operations reachable from `tips`.
    public func operations(from tips: [ObjectID]) throws(LsmError) -> [CommentOperation] {
        guard !tips.isEmpty else { return [] }
        do {
            var operations: [CommentOperation] = []
            for commit in try repository.history(from: tips) {
                guard let entry = try repository.entry(at: "ops", inTree: commit.tree) else { continue }
                operations += CommentOperation.decodePack(try repository.blobContents(entry.id))
            }
            return operations
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    /// All operations reachable from `tip`.
    public func operations(from tip: ObjectID) throws(LsmError) -> [CommentOperation] {
        try operations(from: [tip])
    }

    /// The thread with exactly this id (ours and fetched copies together), or `nil`.
    public func thread(_ id: String) throws(LsmError) -> CommentThread? {
        guard let tips = try allThreadTips()[id] else { return nil }
        return CommentThread.fold(try operations(from: tips))
    }

    /// Every thread, folded (ours and fetched copies together).
    public func threads() throws(LsmError) -> [CommentThread] {
        let tips = try allThreadTips().sorted(by: { $0.key < $1.key }).map { (id: $0.key, tips: $0.value) }
        if let cache {
            return try cache.threads(tips) { (tips) throws(LsmError) in CommentThread.fold(try operations(from: tips)) }
        }
        var threads: [CommentThread] = []
        for (_, tips) in tips {
            if let thread = CommentThread.fold(try operations(from: tips)) { threads.append(thread) }
        }
        return threads
    }

    /// Makes sure we have our own ref for a thread that so far only came with `git fetch`.
    func adoptFetchedThread(_ id: String, author: CommentOperation.Author, at date: Date) throws(LsmError) {
        let local: ObjectID?
        do { local = try repository.referenceTarget(Self.ref(id)) } catch { throw LsmError.wrapping(error) }
        guard local == nil, let fetched = try allThreadTips()[id] else { return }
        for tip in fetched { _ = try merge(id, remoteTip: tip, author: author, at: date) }
    }

    /// Starts a thread: writes the anchored file's blob and the `create` operation, and publishes the
    /// new ref. Returns the thread.
    public func create(anchor: Anchor, fileContents: Data, body: String, author: CommentOperation.Author, at date: Date) throws(LsmError)
        -> CommentThread
    {
        let operation = CommentOperation(kind: .create, clock: 1, author: author, at: date, anchor: anchor, body: body)
        do {
            let blob = try repository.writeBlob(fileContents)
            guard blob.hex == anchor.blob else { throw LsmError(.internal, "the anchored file's blob changed while writing it") }
            let commit = try writePack([operation], clock: 1, parents: [], extra: ["anchor-blob": blob], author: author, at: date)
            try repository.updateReference(Self.ref(operation.id), to: commit, expecting: nil, message: "lsm: new comment thread")
        } catch let error as LsmError {
            throw error
        } catch {
            throw LsmError.wrapping(error)
        }
        guard let thread = CommentThread.fold([operation]) else { throw LsmError(.internal, "a new thread did not fold") }
        return thread
    }

    /// Appends the operations `make` returns, with clocks set after every operation seen so far,
    /// retrying when another writer got there first. `make` gets the thread as it is now when
    /// `needsThread` (to check it, e.g. that a comment is the author's own; it throws to refuse), else
    /// `nil`: a reply needs only the clock, which the tip commit records, so appending stays cheap
    /// however long the thread is. Returns the operations as written.
    @discardableResult
    public func append(
        to threadID: String, author: CommentOperation.Author, at date: Date, needsThread: Bool = true,
        _ make: (CommentThread?) throws(LsmError) -> [CommentOperation]
    ) throws(LsmError) -> [CommentOperation] {
        try adoptFetchedThread(threadID, author: author, at: date)
        var tries = 0
        while true {
            tries += 1
            do {
                guard let tip = try repository.referenceTarget(Self.ref(threadID)) else {
                    throw LsmError(.user, "no comment thread \(threadID)")
                }
                var thread: CommentThread?
                if needsThread {
                    thread = CommentThread.fold(try operations(from: tip))
                    guard thread != nil else { throw LsmError(.user, "comment thread \(threadID) is damaged: it has no first comment") }
                }
                var operations = try make(thread)
                guard !operations.isEmpty else { return [] }
                let clock = try clockAt(tip)
                for index in operations.indices { operations[index].clock = clock + 1 + index }
                let commit = try writePack(
                    operations, clock: clock + operations.count, parents: [tip], extra: [:], author: author, at: date)
                try repository.updateReference(
                    Self.ref(threadID), to: commit, expecting: tip, message: "lsm: comment \(operations[0].kind.rawValue)")
                return operations
            } catch let error as GitError where (error.code == .modified || error.code == .locked) && tries < 1_000 {
                usleep(UInt32.random(in: 100...(1_000 * UInt32(min(tries, 20)))))
            } catch let error as LsmError {
                throw error
            } catch {
                throw LsmError.wrapping(error)
            }
        }
    }

    /// What merging a thread from another clone did.
    public enum MergeResult: String, Sendable {
        case upToDate = "up-to-date"
        case created
        case fastForward = "fast-forward"
        case merged
    }

    /// Merges the thread whose tip on another clone is `other` (already fetched) into ours: new,
    /// fast-forward, or a merge commit with an empty pack whose clock is the higher of both.
    public func merge(_ threadID: String, remoteTip other: ObjectID, author: CommentOperation.Author, at date: Date) throws(LsmError)
        -> MergeResult
    {
        do {
            return try repository.retryingConflicts { () throws(GitError) -> MergeResult in
                let ref = Self.ref(threadID)
                guard let tip = try repository.referenceTarget(ref) else {
                    try repository.updateReference(ref, to: other, expecting: nil, message: "lsm: comment thread from a remote")
                    return .created
                }
                if tip == other { return .upToDate }
                if try repository.isAncestor(other, of: tip) { return .upToDate }
                if try repository.isAncestor(tip, of: other) {
                    try repository.updateReference(ref, to: other, expecting: tip, message: "lsm: fast-forward comment thread")
                    return .fastForward
                }
                let clock = max(try clockAt(tip), try clockAt(other))
                let commit = try writePack([], clock: clock, parents: [tip, other], extra: [:], author: author, at: date)
                try repository.updateReference(ref, to: commit, expecting: tip, message: "lsm: merge comment thread")
                return .merged
            }
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    private func clockAt(_ commit: ObjectID) throws(GitError) -> Int {
        guard let entry = try repository.entry(at: "clock", inTree: try repository.commit(commit).tree) else { return 0 }
        return Int(String(decoding: try repository.blobContents(entry.id), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
            ?? 0
    }

    private func writePack(
        _ operations: [CommentOperation], clock: Int, parents: [ObjectID], extra: [String: ObjectID], author: CommentOperation.Author,
        at date: Date
    ) throws(GitError) -> ObjectID {
        var files = extra
        files["ops"] = try repository.writeBlob(CommentOperation.encodePack(operations))
        files["clock"] = try repository.writeBlob(Data("\(clock)\n".utf8))
        let tree = try repository.writeTree(files: files)
        let kinds = operations.map(\.kind.rawValue).joined(separator: ", ")
        return try repository.createCommit(
            tree: tree, parents: parents, message: operations.isEmpty ? "lsm: merge\n" : "lsm: \(kinds)\n",
            author: Signature(name: author.name, email: author.email, date: date))
    }
}
