import Foundation
import LsmGit

/// The use cases behind `git lsm comment`, `comments`, `reply`, `resolve`, `reopen`, `react`, `edit`
/// and `delete`: threads anchored to code, found again wherever the code went.
public struct CommentBoard: Sendable {
    /// A thread as `git lsm comments` shows it: where it is now, and what was said.
    public struct ThreadView: Encodable, Sendable, Equatable {
        public struct CommentView: Encodable, Sendable, Equatable {
            public var id: String
            public var author: String
            public var authorEmail: String
            public var body: String
            public var createdAt: Date
            public var editedAt: Date?
            public var deleted: Bool
            public var reactions: [String: [String]]

            public func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(id, forKey: .id)
                try container.encode(author, forKey: .author)
                try container.encode(authorEmail, forKey: .authorEmail)
                try container.encode(body, forKey: .body)
                try container.encode(createdAt, forKey: .createdAt)
                try container.encode(editedAt, forKey: .editedAt)
                try container.encode(deleted, forKey: .deleted)
                try container.encode(reactions, forKey: .reactions)
            }

            enum CodingKeys: String, CodingKey { case id, author, authorEmail, body, createdAt, editedAt, deleted, reactions }
        }

        public struct AnchorView: Encodable, Sendable, Equatable {
            public var commit: String
            public var path: String
            public var blob: String
            public var line: Int
            public var endLine: Int
            public var startColumn: Int?
            public var endColumn: Int?
        }

        public var id: String
        /// The current location: path and 1-based lines (`line` is nil when orphaned).
        public var path: String?
        public var line: Int?
        public var endLine: Int?
        public var state: AnchorState
        public var resolved: Bool
        /// The first comment's text.
        public var body: String
        /// The code at the current location (the anchored code when orphaned).
        public var code: [String]
        public var comments: [CommentView]
        public var anchor: AnchorView

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(path, forKey: .path)
            try container.encode(line, forKey: .line)
            try container.encode(endLine, forKey: .endLine)
            try container.encode(state, forKey: .state)
            try container.encode(resolved, forKey: .resolved)
            try container.encode(body, forKey: .body)
            try container.encode(code, forKey: .code)
            try container.encode(comments, forKey: .comments)
            try container.encode(anchor, forKey: .anchor)
        }

        enum CodingKeys: String, CodingKey { case id, path, line, endLine, state, resolved, body, code, comments, anchor }
    }

    public let workspace: Workspace
    /// Threads folded by earlier listings, when the caller keeps them (the MCP server).
    public let threadCache: CommentThreadCache?

    public init(workspace: Workspace, threadCache: CommentThreadCache? = nil) {
        self.workspace = workspace
        self.threadCache = threadCache
    }

    // MARK: - Creating

    /// Starts a thread on `location` (`path:line`, `path:line-end`, with `:column` after either
    /// line), in the working tree or at `revision`.
    public func comment(on location: String, body: String, revision: String?, in repository: Repository) throws(LsmError) -> ThreadView {
        let body = try Self.validBody(body)
        let spec = try LineSpec.parse(location)
        let path = try repositoryPath(spec.path, in: repository)
        let author = try self.author(in: repository)
        let commit: ObjectID
        let contents: Data
        do {
            if let revision {
                commit = try resolve(revision, in: repository)
                guard let blob = try repository.blobID(at: path, in: commit) else {
                    throw LsmError(.user, "\(path) is not in \(revision)", hint: "check the path with git ls-tree -r \(revision)")
                }
                contents = try repository.blobContents(blob)
            } else {
                guard let head = try repository.head().commit else {
                    throw LsmError(.user, "the repository has no commits yet", hint: "commit first, then comment")
                }
                commit = head
                guard let root = repository.workDirectory else {
                    throw LsmError(.user, "a bare repository has no working tree", hint: "pass --rev")
                }
                var isDirectory: ObjCBool = false
                let absolute = (root as NSString).appendingPathComponent(path)
                guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), !isDirectory.boolValue,
                    let data = FileManager.default.contents(atPath: absolute)
                else {
                    throw LsmError(.user, "no file \(path) in the working tree", hint: "comment on a file that exists, or pass --rev")
                }
                contents = data
            }
        } catch let error as LsmError {
            throw error
        } catch {
            throw LsmError.wrapping(error)
        }
        guard !FileLines.isBinary(contents) else { throw LsmError(.user, "\(path) is a binary file", hint: "comment on a text file") }
        let lines = FileLines.split(contents)
        guard spec.endLine <= lines.count else {
            throw LsmError(
                .user, "line \(spec.endLine) is past the end of \(path) (\(lines.count) line\(lines.count == 1 ? "" : "s"))",
                hint: "pick a line between 1 and \(lines.count)")
        }
        let blob: ObjectID
        do { blob = try ObjectID.blob(hashing: contents) } catch { throw LsmError.wrapping(error) }
        let anchor = Anchor(
            commit: commit.hex, path: path, blob: blob.hex, startLine: spec.startLine, endLine: spec.endLine, startColumn: spec.startColumn,
            endColumn: spec.endColumn, fileLines: lines)
        let thread = try CommentStore(repository: repository).create(
            anchor: anchor, fileContents: contents, body: body, author: author, at: workspace.now())
        return view(
            thread, at: AnchorLocation(state: .current, path: path, startLine: spec.startLine, endLine: spec.endLine), code: anchor.lines)
    }

    // MARK: - Listing

    /// Threads relocated to the working tree (or `revision`), by path then line. Without `all`, only
    /// open threads whose code still exists (not resolved, not deleted, not outdated or orphaned).
    /// `path` keeps threads now at, or anchored at, that file or folder.
    public func threads(path: String?, all: Bool, revision: String?, in repository: Repository) throws(LsmError) -> [ThreadView] {
        let target: RelocationTarget
        if let revision {
            target = .commit(try resolve(revision, in: repository))
        } else {
            guard repository.workDirectory != nil else {
                throw LsmError(.user, "a bare repository has no working tree", hint: "pass --rev")
            }
            target = .workingTree
        }
        let filter = try path.map { (path) throws(LsmError) in try repositoryPath(path, in: repository, mustExist: false) }
        let threads = try CommentStore(repository: repository, cache: threadCache).threads().filter { all || (!$0.resolved && !$0.deleted) }
        let locations = try CommentLocator(repository: repository, index: try? workspace.openIndex(), now: workspace.now())
            .locate(threads.map(\.anchor), ids: threads.map(\.id), at: target)
        var files: [String: [String]] = [:]
        var views: [ThreadView] = []
        for (thread, location) in zip(threads, locations) {
            if !all && (location.state == .outdated || location.state == .orphaned) { continue }
            if let filter, !Self.path(location.path, within: filter) && !Self.path(thread.anchor.path, within: filter) { continue }
            var code = thread.anchor.lines
            if let path = location.path, let start = location.startLine, let end = location.endLine, location.state != .outdated {
                if files[path] == nil { files[path] = try fileLines(path, at: target, in: repository) }
                let lines = files[path] ?? []
                if start >= 1, end <= lines.count, start <= end { code = Array(lines[(start - 1)..<end]) }
            }
            views.append(view(thread, at: location, code: code))
        }
        return views.sorted { ($0.path ?? $0.anchor.path, $0.line ?? 0, $0.id) < ($1.path ?? $1.anchor.path, $1.line ?? 0, $1.id) }
    }

    // MARK: - Changing

    public func reply(to threadPrefix: String, body: String, in repository: Repository) throws(LsmError) -> (
        thread: String, comment: String
    ) {
        let body = try Self.validBody(body)
        let id = try threadID(matching: threadPrefix, in: repository)
        let author = try self.author(in: repository)
        let now = workspace.now()
        let written = try CommentStore(repository: repository).append(to: id, author: author, at: now, needsThread: false) { _ in
            [CommentOperation(kind: .reply, clock: 0, author: author, at: now, body: body)]
        }
        return (id, written.first?.id ?? "")
    }

    /// Resolves (or reopens) a thread; doing it twice is harmless.
    public func setResolved(_ resolved: Bool, threadPrefix: String, in repository: Repository) throws(LsmError) -> String {
        let id = try threadID(matching: threadPrefix, in: repository)
        let author = try self.author(in: repository)
        let now = workspace.now()
        try CommentStore(repository: repository).append(to: id, author: author, at: now) { thread in
            thread?.resolved == resolved ? [] : [CommentOperation(kind: resolved ? .resolve : .reopen, clock: 0, author: author, at: now)]
        }
        return id
    }

    /// Adds (or removes) the author's reaction on a comment (a thread id means its first comment).
    public func react(_ emoji: String, to prefix: String, remove: Bool, in repository: Repository) throws(LsmError) -> String {
        let emoji = emoji.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !emoji.isEmpty, emoji.count <= 16, !emoji.contains(where: \.isWhitespace) else {
            throw LsmError(.user, "'\(emoji)' is not a reaction", hint: "use one emoji or a short word, e.g. 👍 or +1")
        }
        let (threadID, commentID) = try comment(matching: prefix, allowThread: true, in: repository)
        let author = try self.author(in: repository)
        let now = workspace.now()
        try CommentStore(repository: repository).append(to: threadID, author: author, at: now) { thread in
            let present = thread?.comments.first { $0.id == commentID }?.reactions[emoji]?.contains(author.email) ?? false
            guard present == remove else { return [] }
            return [CommentOperation(kind: remove ? .unreact : .react, clock: 0, author: author, at: now, target: commentID, emoji: emoji)]
        }
        return commentID
    }

    public func edit(_ prefix: String, body: String, in repository: Repository) throws(LsmError) -> String {
        let body = try Self.validBody(body)
        let (threadID, commentID) = try comment(matching: prefix, allowThread: true, in: repository)
        let author = try self.author(in: repository)
        let now = workspace.now()
        try CommentStore(repository: repository).append(to: threadID, author: author, at: now) { (thread) throws(LsmError) in
            try Self.ownComment(commentID, in: thread, author: author, verb: "edit")
            return [CommentOperation(kind: .edit, clock: 0, author: author, at: now, body: body, target: commentID)]
        }
        return commentID
    }

    public func delete(_ prefix: String, in repository: Repository) throws(LsmError) -> String {
        let (threadID, commentID) = try comment(matching: prefix, allowThread: true, in: repository)
        let author = try self.author(in: repository)
        let now = workspace.now()
        try CommentStore(repository: repository).append(to: threadID, author: author, at: now) { (thread) throws(LsmError) in
            try Self.ownComment(commentID, in: thread, author: author, verb: "delete")
            return [CommentOperation(kind: .delete, clock: 0, author: author, at: now, target: commentID)]
        }
        return commentID
    }

    // MARK: - Helpers

    private static func ownComment(_ id: String, in thread: CommentThread?, author: CommentOperation.Author, verb: String) throws(LsmError)
    {
        guard let comment = thread?.comments.first(where: { $0.id == id }) else { throw LsmError(.user, "no comment \(id)") }
        guard !comment.deleted else { throw LsmError(.user, "comment \(String(id.prefix(8))) was deleted") }
        guard comment.author.email == author.email else {
            throw LsmError(
                .user, "comment \(String(id.prefix(8))) is \(comment.author.name)'s", hint: "you can only \(verb) your own comments")
        }
    }

    static func validBody(_ body: String) throws(LsmError) -> String {
        let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw LsmError(.user, "empty comment", hint: "give the text as an argument, with -m, or in the editor")
        }
        return trimmed
    }

    /// The one thread whose id starts with `prefix`.
    func threadID(matching prefix: String, in repository: Repository) throws(LsmError) -> String {
        let prefix = prefix.lowercased()
        guard !prefix.isEmpty, prefix.allSatisfy(\.isHexDigit) else {
            throw LsmError(.user, "'\(prefix)' is not a thread id", hint: "git lsm comments lists the threads and their ids")
        }
        let matches = try CommentStore(repository: repository).allThreadTips().keys.sorted().filter { $0.hasPrefix(prefix) }
        guard let first = matches.first else {
            throw LsmError(.user, "no comment thread matches '\(prefix)'", hint: "git lsm comments --all lists every thread")
        }
        guard matches.count == 1 else {
            throw LsmError(
                .user,
                "'\(prefix)' matches \(matches.count) threads: \(matches.prefix(5).map { String($0.prefix(12)) }.joined(separator: ", "))",
                hint: "type more of the id")
        }
        return first
    }

    /// The one comment whose id starts with `prefix` (a thread's id stands for its first comment).
    public func comment(matching prefix: String, allowThread: Bool, in repository: Repository) throws(LsmError) -> (
        thread: String, comment: String
    ) {
        let prefix = prefix.lowercased()
        guard !prefix.isEmpty, prefix.allSatisfy(\.isHexDigit) else {
            throw LsmError(.user, "'\(prefix)' is not a comment id", hint: "git lsm comments --json lists comment ids")
        }
        var matches: [(thread: String, comment: String)] = []
        for thread in try CommentStore(repository: repository).threads() {
            for comment in thread.comments where comment.id.hasPrefix(prefix) { matches.append((thread.id, comment.id)) }
        }
        guard let first = matches.first else {
            throw LsmError(.user, "no comment matches '\(prefix)'", hint: "git lsm comments --json lists comment ids")
        }
        guard matches.count == 1 else {
            throw LsmError(.user, "'\(prefix)' matches \(matches.count) comments", hint: "type more of the id")
        }
        return first
    }

    func author(in repository: Repository) throws(LsmError) -> CommentOperation.Author {
        let identity: (name: String, email: String)?
        do { identity = try repository.config(environment: workspace.environment).userIdentity() } catch {
            throw LsmError.unreadableConfig(error)
        }
        let name = workspace.environment["GIT_AUTHOR_NAME"] ?? identity?.name
        let email = workspace.environment["GIT_AUTHOR_EMAIL"] ?? identity?.email
        guard let name, let email, !name.isEmpty else {
            throw LsmError(
                .user, "who are you? user.name and user.email are not set",
                hint: "git config user.name \"Your Name\"; git config user.email you@example.com")
        }
        return CommentOperation.Author(name: name, email: email)
    }

    private func resolve(_ revision: String, in repository: Repository) throws(LsmError) -> ObjectID {
        do {
            return try repository.resolveCommit(revision).id
        } catch {
            throw LsmError(.user, "unknown revision '\(revision)'", hint: "use a commit, branch or tag, e.g. HEAD~1")
        }
    }

    /// `path` (relative to the command's directory, or absolute) relative to the repository root.
    func repositoryPath(_ path: String, in repository: Repository, mustExist: Bool = true) throws(LsmError) -> String {
        guard let root = repository.workDirectory else {
            // A bare repository: paths are already repository paths.
            return path.hasPrefix("/") ? String(path.drop { $0 == "/" }) : path
        }
        let base = URL(fileURLWithPath: workspace.directory, isDirectory: true)
        let absolute = URL(fileURLWithPath: path, relativeTo: base).standardizedFileURL.path
        let realRoot = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
        let realAbsolute = URL(fileURLWithPath: absolute).resolvingSymlinksInPath().path
        for (rootPath, candidate) in [(root, absolute), (realRoot, realAbsolute)] {
            if candidate == rootPath { return "" }
            if candidate.hasPrefix(rootPath + "/") { return String(candidate.dropFirst(rootPath.count + 1)) }
        }
        throw LsmError(.user, "\(path) is outside the repository (\(root))", hint: "comment on a file inside the repository")
    }

    private func fileLines(_ path: String, at target: RelocationTarget, in repository: Repository) throws(LsmError) -> [String] {
        do {
            switch target {
            case .workingTree:
                guard let root = repository.workDirectory,
                    let data = FileManager.default.contents(atPath: (root as NSString).appendingPathComponent(path))
                else {
                    return []
                }
                return FileLines.split(data)
            case .commit(let commit):
                guard let blob = try repository.blobID(at: path, in: commit) else { return [] }
                return FileLines.split(try repository.blobContents(blob))
            }
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    private static func path(_ path: String?, within filter: String) -> Bool {
        guard let path else { return false }
        return filter.isEmpty || path == filter || path.hasPrefix(filter.hasSuffix("/") ? filter : filter + "/")
    }

    func view(_ thread: CommentThread, at location: AnchorLocation, code: [String]) -> ThreadView {
        ThreadView(
            id: thread.id, path: location.path, line: location.startLine, endLine: location.endLine, state: location.state,
            resolved: thread.resolved, body: thread.comments.first?.body ?? "", code: code,
            comments: thread.comments.map { comment in
                ThreadView.CommentView(
                    id: comment.id, author: comment.author.name, authorEmail: comment.author.email, body: comment.body,
                    createdAt: comment.createdAt, editedAt: comment.editedAt, deleted: comment.deleted, reactions: comment.reactions)
            },
            anchor: .init(
                commit: thread.anchor.commit, path: thread.anchor.path, blob: thread.anchor.blob, line: thread.anchor.startLine,
                endLine: thread.anchor.endLine, startColumn: thread.anchor.startColumn, endColumn: thread.anchor.endColumn))
    }
}
