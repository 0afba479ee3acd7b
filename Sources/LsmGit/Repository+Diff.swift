import Clibgit2
import Foundation

extension Repository {
    /// The line changes from one blob to another; `nil` for a side means an empty file.
    public func diffBlobs(from old: ObjectID?, to new: ObjectID?, options: DiffOptions = DiffOptions()) throws(GitError) -> FileDiff {
        var gitOptions = try Self.gitDiffOptions(options)
        let oldBlob = try old.flatMap { (id) throws(GitError) in try lookupBlob(id) }
        defer { git_blob_free(oldBlob) }
        let newBlob = try new.flatMap { (id) throws(GitError) in try lookupBlob(id) }
        defer { git_blob_free(newBlob) }
        var patch: OpaquePointer?
        try GitError.check(git_patch_from_blobs(&patch, oldBlob, nil, newBlob, nil, &gitOptions), "git_patch_from_blobs")
        defer { git_patch_free(patch) }
        return try Self.readPatch(patch)
    }

    /// The line changes from a blob to text that is not in the object database (an unsaved or
    /// working-tree file); `nil` for the blob means an empty file.
    public func diffBlob(_ old: ObjectID?, toContents contents: Data, options: DiffOptions = DiffOptions()) throws(GitError) -> FileDiff {
        var gitOptions = try Self.gitDiffOptions(options)
        let oldBlob = try old.flatMap { (id) throws(GitError) in try lookupBlob(id) }
        defer { git_blob_free(oldBlob) }
        // The patch points into `contents` rather than copying it, so it is read while the bytes are pinned.
        let diff = contents.withUnsafeBytes { buffer -> Result<FileDiff, GitError> in
            var patch: OpaquePointer?
            defer { git_patch_free(patch) }
            let bytes = buffer.baseAddress?.assumingMemoryBound(to: CChar.self)
            return Result { () throws(GitError) -> FileDiff in
                try GitError.check(
                    git_patch_from_blob_and_buffer(&patch, oldBlob, nil, bytes, buffer.count, nil, &gitOptions),
                    "git_patch_from_blob_and_buffer")
                return try Self.readPatch(patch)
            }
        }
        return try diff.get()
    }

    /// The files changed between the trees of two commits; `nil` for `old` compares with an empty tree.
    public func diffTrees(from old: ObjectID?, to new: ObjectID, options: DiffOptions = DiffOptions()) throws(GitError) -> [FileDiff] {
        var gitOptions = try Self.gitDiffOptions(options)
        let oldTree = try old.flatMap { (commit) throws(GitError) in try lookupTree(ofCommit: commit) }
        defer { git_tree_free(oldTree) }
        let newTree = try lookupTree(ofCommit: new)
        defer { git_tree_free(newTree) }
        var diff: OpaquePointer?
        try GitError.check(git_diff_tree_to_tree(&diff, pointer, oldTree, newTree, &gitOptions), "git_diff_tree_to_tree")
        defer { git_diff_free(diff) }
        return try Self.readDiff(diff, options: options)
    }

    /// The files changed from a commit's tree to the working tree (staged and unstaged changes alike),
    /// as `git diff <commit>` sees them.
    public func diffToWorkingTree(from commit: ObjectID?, options: DiffOptions = DiffOptions()) throws(GitError) -> [FileDiff] {
        var gitOptions = try Self.gitDiffOptions(options)
        if options.includeUntracked {
            gitOptions.flags |=
                GIT_DIFF_INCLUDE_UNTRACKED.rawValue | GIT_DIFF_RECURSE_UNTRACKED_DIRS.rawValue
                | GIT_DIFF_SHOW_UNTRACKED_CONTENT.rawValue
        }
        let oldTree = try commit.flatMap { (commit) throws(GitError) in try lookupTree(ofCommit: commit) }
        defer { git_tree_free(oldTree) }
        var diff: OpaquePointer?
        try GitError.check(
            git_diff_tree_to_workdir_with_index(&diff, pointer, oldTree, &gitOptions), "git_diff_tree_to_workdir_with_index")
        defer { git_diff_free(diff) }
        return try Self.readDiff(diff, options: options)
    }

    private func lookupBlob(_ id: ObjectID) throws(GitError) -> OpaquePointer? {
        var oid = id.raw
        var blob: OpaquePointer?
        try GitError.check(git_blob_lookup(&blob, pointer, &oid), "git_blob_lookup")
        return blob
    }

    private func lookupTree(ofCommit commit: ObjectID) throws(GitError) -> OpaquePointer? {
        try withCommit(commit) { (handle) throws(GitError) in
            var tree: OpaquePointer?
            try GitError.check(git_commit_tree(&tree, handle), "git_commit_tree")
            return tree
        }
    }

    private static func gitDiffOptions(_ options: DiffOptions) throws(GitError) -> git_diff_options {
        var gitOptions = git_diff_options()
        try GitError.check(git_diff_options_init(&gitOptions, UInt32(GIT_DIFF_OPTIONS_VERSION)), "git_diff_options_init")
        gitOptions.context_lines = UInt32(max(0, options.contextLines))
        return gitOptions
    }

    private static func readDiff(_ diff: OpaquePointer?, options: DiffOptions) throws(GitError) -> [FileDiff] {
        if options.detectRenames {
            var find = git_diff_find_options()
            try GitError.check(git_diff_find_options_init(&find, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION)), "git_diff_find_options_init")
            find.flags = GIT_DIFF_FIND_RENAMES.rawValue | GIT_DIFF_FIND_COPIES.rawValue
            if options.includeUntracked { find.flags |= GIT_DIFF_FIND_FOR_UNTRACKED.rawValue }
            try GitError.check(git_diff_find_similar(diff, &find), "git_diff_find_similar")
        }
        var files: [FileDiff] = []
        for index in 0..<git_diff_num_deltas(diff) {
            if options.filesOnly {
                guard let delta = git_diff_get_delta(diff, index) else { continue }
                files.append(readDelta(delta.pointee, hunks: []))
                continue
            }
            var patch: OpaquePointer?
            try GitError.check(git_patch_from_diff(&patch, diff, index), "git_patch_from_diff")
            defer { git_patch_free(patch) }
            files.append(try readPatch(patch))
        }
        return files
    }

    private static func readPatch(_ patch: OpaquePointer?) throws(GitError) -> FileDiff {
        guard let patch, let delta = git_patch_get_delta(patch) else {
            // libgit2 gives no patch when both sides are empty.
            return FileDiff(
                status: .unmodified, oldPath: "", newPath: "", oldBlob: nil, newBlob: nil, similarity: 0, isBinary: false, hunks: [])
        }
        var hunks: [DiffHunk] = []
        for hunkIndex in 0..<git_patch_num_hunks(patch) {
            var hunkPointer: UnsafePointer<git_diff_hunk>?
            var lineCount = 0
            try GitError.check(git_patch_get_hunk(&hunkPointer, &lineCount, patch, hunkIndex), "git_patch_get_hunk")
            guard let hunk = hunkPointer?.pointee else { continue }
            var lines: [DiffLine] = []
            lines.reserveCapacity(lineCount)
            for lineIndex in 0..<lineCount {
                var linePointer: UnsafePointer<git_diff_line>?
                try GitError.check(git_patch_get_line_in_hunk(&linePointer, patch, hunkIndex, lineIndex), "git_patch_get_line_in_hunk")
                guard let line = linePointer?.pointee, let diffLine = readLine(line) else { continue }
                lines.append(diffLine)
            }
            hunks.append(
                DiffHunk(
                    oldStart: Int(hunk.old_start), oldCount: Int(hunk.old_lines),
                    newStart: Int(hunk.new_start), newCount: Int(hunk.new_lines), lines: lines))
        }
        return readDelta(delta.pointee, hunks: hunks)
    }

    private static func readLine(_ line: git_diff_line) -> DiffLine? {
        let origin: DiffLine.Origin
        switch UInt8(bitPattern: line.origin) {
        case UInt8(ascii: " "): origin = .context
        case UInt8(ascii: "+"): origin = .addition
        case UInt8(ascii: "-"): origin = .deletion
        default: return nil  // "\ No newline at end of file" markers and file headers
        }
        var text = ""
        if let content = line.content, line.content_len > 0 {
            let bytes = UnsafeRawBufferPointer(start: content, count: Int(line.content_len))
            var end = bytes.count
            while end > 0, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            text = String(decoding: bytes[0..<end], as: UTF8.self)
        }
        return DiffLine(
            origin: origin,
            oldLine: line.old_lineno > 0 ? Int(line.old_lineno) : nil,
            newLine: line.new_lineno > 0 ? Int(line.new_lineno) : nil,
            text: text)
    }

    private static func readDelta(_ delta: git_diff_delta, hunks: [DiffHunk]) -> FileDiff {
        let oldPath = delta.old_file.path.map { String(cString: $0) } ?? ""
        let newPath = delta.new_file.path.map { String(cString: $0) } ?? oldPath
        let oldID = ObjectID(delta.old_file.id)
        let newID = ObjectID(delta.new_file.id)
        return FileDiff(
            status: status(delta.status),
            oldPath: oldPath,
            newPath: newPath,
            oldBlob: oldID.isZero ? nil : oldID,
            newBlob: newID.isZero ? nil : newID,
            similarity: Int(delta.similarity),
            isBinary: delta.flags & GIT_DIFF_FLAG_BINARY.rawValue != 0,
            hunks: hunks)
    }

    private static func status(_ status: git_delta_t) -> FileDiff.Status {
        switch status {
        case GIT_DELTA_ADDED: .added
        case GIT_DELTA_DELETED: .deleted
        case GIT_DELTA_RENAMED: .renamed
        case GIT_DELTA_COPIED: .copied
        case GIT_DELTA_TYPECHANGE: .typeChanged
        case GIT_DELTA_UNTRACKED: .untracked
        case GIT_DELTA_UNMODIFIED: .unmodified
        default: .modified
        }
    }
}

extension ObjectID {
    /// Whether this is the all-zero id libgit2 uses for "no object".
    var isZero: Bool { bytes.allSatisfy { $0 == 0 } }
}
