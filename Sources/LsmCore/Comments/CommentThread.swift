import Foundation

/// A comment thread as its operations make it: folded in order of Lamport clock, then id.
public struct CommentThread: Sendable, Equatable {
    public struct Comment: Sendable, Equatable {
        public var id: String
        public var author: CommentOperation.Author
        public var body: String
        public var createdAt: Date
        public var editedAt: Date?
        public var deleted: Bool
        /// Emoji → the authors (by email) who reacted with it, in the order they did.
        public var reactions: [String: [String]]
    }

    /// The id of the thread (its `create` operation's id).
    public var id: String
    public var anchor: Anchor
    /// The first comment, then the replies in order.
    public var comments: [Comment]
    public var resolved: Bool
    /// The highest Lamport clock of the thread's operations.
    public var clock: Int
    /// Whether every comment was deleted.
    public var deleted: Bool { comments.allSatisfy(\.deleted) }

    /// Folds a thread's operations (any order, duplicates allowed); `nil` without a `create`.
    /// Only a comment's author may edit or delete it; other such operations are ignored.
    public static func fold(_ operations: [CommentOperation]) -> CommentThread? {
        var byID: [String: CommentOperation] = [:]
        for operation in operations { byID[operation.id] = operation }
        let ordered = byID.sorted { ($0.value.clock, $0.key) < ($1.value.clock, $1.key) }
        guard let (createID, create) = ordered.first(where: { $0.value.kind == .create }), let anchor = create.anchor else { return nil }
        var thread = CommentThread(
            id: createID, anchor: anchor,
            comments: [
                Comment(
                    id: createID, author: create.author, body: create.body ?? "", createdAt: create.at, editedAt: nil, deleted: false,
                    reactions: [:])
            ], resolved: false, clock: ordered.last?.value.clock ?? create.clock)
        for (id, operation) in ordered where id != createID {
            let index = operation.target.flatMap { target in thread.comments.firstIndex { $0.id == target } }
            switch operation.kind {
            case .create:
                continue
            case .reply:
                thread.comments.append(
                    Comment(
                        id: id, author: operation.author, body: operation.body ?? "", createdAt: operation.at, editedAt: nil,
                        deleted: false, reactions: [:]))
            case .edit:
                guard let index, thread.comments[index].author.email == operation.author.email, !thread.comments[index].deleted else {
                    continue
                }
                thread.comments[index].body = operation.body ?? ""
                thread.comments[index].editedAt = operation.at
            case .delete:
                guard let index, thread.comments[index].author.email == operation.author.email else { continue }
                thread.comments[index].deleted = true
                thread.comments[index].body = ""
                thread.comments[index].reactions = [:]
            case .resolve:
                thread.resolved = true
            case .reopen:
                thread.resolved = false
            case .react:
                guard let index, let emoji = operation.emoji, !thread.comments[index].deleted else { continue }
                var authors = thread.comments[index].reactions[emoji] ?? []
                if !authors.contains(operation.author.email) { authors.append(operation.author.email) }
                thread.comments[index].reactions[emoji] = authors
            case .unreact:
                guard let index, let emoji = operation.emoji else { continue }
                let authors = (thread.comments[index].reactions[emoji] ?? []).filter { $0 != operation.author.email }
                thread.comments[index].reactions[emoji] = authors.isEmpty ? nil : authors
            }
        }
        return thread
    }
}
