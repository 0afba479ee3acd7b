import Clibgit2
import Foundation

/// One entry of a tree: a file, a folder, a symbolic link or a submodule.
public struct TreeEntry: Sendable, Equatable {
    /// What the entry is.
    public enum Kind: Sendable, Equatable {
        case file
        case executable
        case symbolicLink
        case directory
        case submodule
    }

    /// The path from the tree's root, `/`-separated.
    public let path: String
    public let id: ObjectID
    public let kind: Kind
}

extension Repository {
    /// The entries of the tree of `commit` under `folder` (the root when empty), recursively or not.
    public func treeEntries(of commit: ObjectID, under folder: String = "", recursive: Bool = true)
        throws(GitError) -> [TreeEntry]
    {
        let rootTree = try self.commit(commit).tree
        let treeID: ObjectID
        if folder.isEmpty {
            treeID = rootTree
        } else {
            guard let entry = try entry(at: folder, inTree: rootTree), entry.kind == .directory else {
                throw GitError(
                    code: .notFound, message: "no folder '\(folder)' in \(commit.abbreviated())", function: "git_tree_entry_bypath")
            }
            treeID = entry.id
        }
        var entries: [TreeEntry] = []
        try collectEntries(tree: treeID, prefix: folder.isEmpty ? "" : folder + "/", recursive: recursive, into: &entries)
        return entries
    }

    private func collectEntries(tree: ObjectID, prefix: String, recursive: Bool, into entries: inout [TreeEntry])
        throws(GitError)
    {
        var oid = tree.raw
        var handle: OpaquePointer?
        try GitError.check(git_tree_lookup(&handle, pointer, &oid), "git_tree_lookup")
        defer { git_tree_free(handle) }
        for index in 0..<git_tree_entrycount(handle) {
            guard let entry = git_tree_entry_byindex(handle, index) else { continue }
            let item = TreeEntry(
                path: prefix + String(cString: git_tree_entry_name(entry)),
                id: ObjectID(git_tree_entry_id(entry)),
                kind: Self.kind(of: git_tree_entry_filemode(entry)))
            entries.append(item)
            if recursive && item.kind == .directory {
                try collectEntries(tree: item.id, prefix: item.path + "/", recursive: true, into: &entries)
            }
        }
    }

    /// The entry at `path` in the tree `tree`, or `nil` when there is none.
    public func entry(at path: String, inTree tree: ObjectID) throws(GitError) -> TreeEntry? {
        var oid = tree.raw
        var handle: OpaquePointer?
        try GitError.check(git_tree_lookup(&handle, pointer, &oid), "git_tree_lookup")
        defer { git_tree_free(handle) }
        var entry: OpaquePointer?
        let result = git_tree_entry_bypath(&entry, handle, path)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try GitError.check(result, "git_tree_entry_bypath")
        guard let entry else { return nil }
        defer { git_tree_entry_free(entry) }
        return TreeEntry(path: path, id: ObjectID(git_tree_entry_id(entry)), kind: Self.kind(of: git_tree_entry_filemode(entry)))
    }

    /// The blob id of the file at `path` in `commit`, or `nil` when the commit has no file there.
    public func blobID(at path: String, in commit: ObjectID) throws(GitError) -> ObjectID? {
        guard let entry = try entry(at: path, inTree: try self.commit(commit).tree) else { return nil }
        switch entry.kind {
        case .file, .executable, .symbolicLink: return entry.id
        case .directory, .submodule: return nil
        }
    }

    /// The contents of a blob.
    public func blobContents(_ id: ObjectID) throws(GitError) -> Data {
        var oid = id.raw
        var handle: OpaquePointer?
        try GitError.check(git_blob_lookup(&handle, pointer, &oid), "git_blob_lookup")
        defer { git_blob_free(handle) }
        let size = Int(git_blob_rawsize(handle))
        guard size > 0, let bytes = git_blob_rawcontent(handle) else { return Data() }
        return Data(bytes: bytes, count: size)
    }

    /// Writes `contents` as a blob and returns its id.
    public func writeBlob(_ contents: Data) throws(GitError) -> ObjectID {
        var out = git_oid()
        let result = contents.withUnsafeBytes { buffer in
            git_blob_create_from_buffer(&out, pointer, buffer.baseAddress, buffer.count)
        }
        try GitError.check(result, "git_blob_create_from_buffer")
        return ObjectID(out)
    }

    /// Writes a flat tree of regular files (name → blob id) and returns its id.
    public func writeTree(files: [String: ObjectID]) throws(GitError) -> ObjectID {
        var builder: OpaquePointer?
        try GitError.check(git_treebuilder_new(&builder, pointer, nil), "git_treebuilder_new")
        defer { git_treebuilder_free(builder) }
        for (name, blob) in files.sorted(by: { $0.key < $1.key }) {
            var oid = blob.raw
            try GitError.check(git_treebuilder_insert(nil, builder, name, &oid, GIT_FILEMODE_BLOB), "git_treebuilder_insert")
        }
        var out = git_oid()
        try GitError.check(git_treebuilder_write(&out, builder), "git_treebuilder_write")
        return ObjectID(out)
    }

    static func kind(of mode: git_filemode_t) -> TreeEntry.Kind {
        switch mode {
        case GIT_FILEMODE_TREE: .directory
        case GIT_FILEMODE_BLOB_EXECUTABLE: .executable
        case GIT_FILEMODE_LINK: .symbolicLink
        case GIT_FILEMODE_COMMIT: .submodule
        default: .file
        }
    }
}

extension ObjectID {
    /// The id git gives a blob with `contents`, without writing it (`git hash-object`).
    public static func blob(hashing contents: Data) throws(GitError) -> ObjectID {
        Libgit2.ensureInitialized()
        var out = git_oid()
        let result = contents.withUnsafeBytes { buffer in git_odb_hash(&out, buffer.baseAddress, buffer.count, GIT_OBJECT_BLOB) }
        try GitError.check(result, "git_odb_hash")
        return ObjectID(out)
    }
}
