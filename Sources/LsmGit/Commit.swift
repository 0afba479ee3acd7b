import Clibgit2
import Foundation

/// A commit, read into a Swift value.
public struct Commit: Sendable, Equatable {
    public let id: ObjectID
    public let tree: ObjectID
    public let parents: [ObjectID]
    public let author: Signature
    public let committer: Signature
    /// The full message, as stored.
    public let message: String

    /// The first line of the message.
    public var summary: String {
        message.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
    }
}

extension Repository {
    /// Reads the commit with this id.
    public func commit(_ id: ObjectID) throws(GitError) -> Commit {
        try withCommit(id) { handle in Self.readCommit(handle) }
    }

    /// Resolves a revision expression (`HEAD~2`, a branch, an abbreviated id) to a commit.
    public func resolveCommit(_ revision: String) throws(GitError) -> Commit {
        var object: OpaquePointer?
        let result = git_revparse_single(&object, pointer, revision)
        if result == GIT_ENOTFOUND.rawValue || result == GIT_EINVALIDSPEC.rawValue || result == GIT_EAMBIGUOUS.rawValue {
            throw GitError(code: GitError.Code(result), message: "unknown revision '\(revision)'", function: "git_revparse_single")
        }
        try GitError.check(result, "git_revparse_single")
        guard let object else {
            throw GitError(code: .notFound, message: "unknown revision '\(revision)'", function: "git_revparse_single")
        }
        defer { git_object_free(object) }
        var peeled: OpaquePointer?
        try GitError.check(git_object_peel(&peeled, object, GIT_OBJECT_COMMIT), "git_object_peel")
        guard let peeled else { throw GitError(code: .notFound, message: "'\(revision)' is not a commit", function: "git_object_peel") }
        defer { git_object_free(peeled) }
        return Self.readCommit(peeled)
    }

    func withCommit<T>(_ id: ObjectID, _ body: (OpaquePointer) throws(GitError) -> T) throws(GitError) -> T {
        var oid = id.raw
        var handle: OpaquePointer?
        try GitError.check(git_commit_lookup(&handle, pointer, &oid), "git_commit_lookup")
        guard let handle else { throw GitError(code: .notFound, message: "no commit \(id)", function: "git_commit_lookup") }
        defer { git_commit_free(handle) }
        return try body(handle)
    }

    static func readCommit(_ handle: OpaquePointer) -> Commit {
        let parentCount = git_commit_parentcount(handle)
        let parents = (0..<parentCount).compactMap { index in git_commit_parent_id(handle, index).map(ObjectID.init) }
        return Commit(
            id: ObjectID(git_commit_id(handle)),
            tree: ObjectID(git_commit_tree_id(handle)),
            parents: parents,
            author: Signature(git_commit_author(handle)),
            committer: Signature(git_commit_committer(handle)),
            message: git_commit_message(handle).map { String(cString: $0) } ?? "")
    }

    /// Writes a commit object without moving any reference; publish it with `updateReference`.
    public func createCommit(
        tree: ObjectID, parents: [ObjectID], message: String, author: Signature, committer: Signature? = nil
    ) throws(GitError) -> ObjectID {
        var handles: [OpaquePointer?] = []
        defer {
            for handle in handles { git_commit_free(handle) }
        }
        for parent in parents {
            var oid = parent.raw
            var handle: OpaquePointer?
            try GitError.check(git_commit_lookup(&handle, pointer, &oid), "git_commit_lookup")
            handles.append(handle)
        }
        var treeOID = tree.raw
        var treeHandle: OpaquePointer?
        try GitError.check(git_tree_lookup(&treeHandle, pointer, &treeOID), "git_tree_lookup")
        defer { git_tree_free(treeHandle) }
        var out = git_oid()
        try author.withGitSignature { (authorSignature) throws(GitError) in
            try (committer ?? author).withGitSignature { (committerSignature) throws(GitError) in
                let result = handles.withUnsafeMutableBufferPointer { buffer in
                    git_commit_create(
                        &out, pointer, nil, authorSignature, committerSignature, "UTF-8", message,
                        treeHandle, buffer.count, buffer.baseAddress)
                }
                try GitError.check(result, "git_commit_create")
            }
        }
        return ObjectID(out)
    }
}
