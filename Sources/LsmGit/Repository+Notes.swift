import Clibgit2

extension Repository {
    /// The note attached to `object` under `notesRef` (e.g. `refs/notes/lsm`), or `nil` when there is none.
    public func note(for object: ObjectID, notesRef: String) throws(GitError) -> String? {
        var oid = object.raw
        var note: OpaquePointer?
        let result = git_note_read(&note, pointer, notesRef, &oid)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try GitError.check(result, "git_note_read")
        defer { git_note_free(note) }
        return git_note_message(note).map { String(cString: $0) }
    }

    /// Every object that has a note under `notesRef`, with the note's blob.
    public func notedObjects(notesRef: String) throws(GitError) -> [(object: ObjectID, noteBlob: ObjectID)] {
        var iterator: OpaquePointer?
        let result = git_note_iterator_new(&iterator, pointer, notesRef)
        if result == GIT_ENOTFOUND.rawValue { return [] }
        try GitError.check(result, "git_note_iterator_new")
        defer { git_note_iterator_free(iterator) }
        return try Self.drain(iterator)
    }

    /// Reads a note iterator to its end.
    private static func drain(_ iterator: OpaquePointer?) throws(GitError) -> [(object: ObjectID, noteBlob: ObjectID)] {
        var found: [(object: ObjectID, noteBlob: ObjectID)] = []
        var blob = git_oid()
        var annotated = git_oid()
        while true {
            let next = git_note_next(&blob, &annotated, iterator)
            if next == GIT_ITEROVER.rawValue { break }
            try GitError.check(next, "git_note_next")
            found.append((ObjectID(annotated), ObjectID(blob)))
        }
        return found
    }

    /// Replaces the note on `object` with what `transform` makes of the current one (`nil` in: no note
    /// yet; `nil` out: remove it). Unlike `git notes add`, concurrent writers lose nothing: the notes
    /// commit is published with compare-and-swap and `transform` re-runs on the newer note when another
    /// writer got there first. Returns the note as written.
    @discardableResult
    public func updateNote(
        for object: ObjectID, notesRef: String, author: Signature, _ transform: (String?) -> String?
    ) throws(GitError) -> String? {
        try retryingConflicts { () throws(GitError) -> String? in
            let tip = try referenceTarget(notesRef)
            let current = try tip.flatMap { (tip) throws(GitError) in try note(for: object, inNotesCommit: tip) }
            let updated = transform(current)
            if updated == current { return current }
            let newTip = try writeNotesCommit(parent: tip, object: object, note: updated, author: author)
            try updateReference(notesRef, to: newTip, expecting: tip, message: "lsm: note for \(object.abbreviated())")
            return updated
        }
    }

    /// Rewrites the notes on several objects in one notes commit, with the same compare-and-swap
    /// retries as `updateNote`: `transform` gets each object and its current note and returns the new
    /// note (`nil`: none). Returns the number of notes changed.
    @discardableResult
    public func updateNotes(
        for objects: [ObjectID], notesRef: String, author: Signature, message: String,
        _ transform: (ObjectID, String?) -> String?
    ) throws(GitError) -> Int {
        try retryingConflicts { () throws(GitError) -> Int in
            let tip = try referenceTarget(notesRef)
            var newTip = tip
            var changed = 0
            for object in objects {
                let current = try tip.flatMap { (tip) throws(GitError) in try note(for: object, inNotesCommit: tip) }
                let updated = transform(object, current)
                if updated == current { continue }
                newTip = try writeNotesCommit(parent: newTip, object: object, note: updated, author: author)
                changed += 1
            }
            if let chained = newTip, chained != tip {
                // The notes were written one commit each; publish their final tree as one commit.
                let published = try createCommit(
                    tree: try commit(chained).tree, parents: tip.map { [$0] } ?? [], message: message + "\n", author: author)
                try updateReference(notesRef, to: published, expecting: tip, message: message)
            }
            return changed
        }
    }

    /// What `mergeNotes` did.
    public enum NotesMerge: Sendable, Equatable {
        /// `other` held nothing new.
        case upToDate
        /// The ref moved forward to `other` (or was created at it).
        case fastForward
        /// A merge commit joined both sides; `changedNotes` notes of ours were changed.
        case merged(changedNotes: Int)
    }

    /// Merges the notes commit `other` (e.g. fetched from a remote) into `notesRef`: a fast-forward
    /// when one side contains the other, else a merge commit with both as parents whose notes are
    /// `combine(object, ours, theirs)` wherever `other` has a note. libgit2 has no notes merge, so this
    /// is it. Published with compare-and-swap, like `updateNote`.
    @discardableResult
    public func mergeNotes(
        _ other: ObjectID, into notesRef: String, author: Signature, _ combine: (ObjectID, String?, String) -> String?
    ) throws(GitError) -> NotesMerge {
        try retryingConflicts { () throws(GitError) -> NotesMerge in
            guard let tip = try referenceTarget(notesRef) else {
                try updateReference(notesRef, to: other, expecting: nil, message: "lsm: notes from \(other.abbreviated())")
                return .fastForward
            }
            if tip == other { return .upToDate }
            if try isAncestor(other, of: tip) { return .upToDate }
            if try isAncestor(tip, of: other) {
                try updateReference(notesRef, to: other, expecting: tip, message: "lsm: fast-forward notes")
                return .fastForward
            }
            var merged = tip
            var changed = 0
            for (object, _) in try notedObjects(inNotesCommit: other) {
                guard let theirs = try note(for: object, inNotesCommit: other) else { continue }
                let ours = try note(for: object, inNotesCommit: tip)
                let combined = combine(object, ours, theirs)
                if combined == ours { continue }
                merged = try writeNotesCommit(parent: merged, object: object, note: combined, author: author)
                changed += 1
            }
            let mergedTree = try commit(merged).tree
            let mergeCommit = try createCommit(
                tree: mergedTree, parents: [tip, other], message: "Merged notes from \(other.abbreviated())\n", author: author)
            try updateReference(notesRef, to: mergeCommit, expecting: tip, message: "lsm: merge notes")
            return .merged(changedNotes: changed)
        }
    }

    /// Whether `ancestor` is reachable from `descendant`.
    public func isAncestor(_ ancestor: ObjectID, of descendant: ObjectID) throws(GitError) -> Bool {
        var descendantOID = descendant.raw
        var ancestorOID = ancestor.raw
        let result = git_graph_descendant_of(pointer, &descendantOID, &ancestorOID)
        try GitError.check(result < 0 ? result : 0, "git_graph_descendant_of")
        return result == 1
    }

    private func notedObjects(inNotesCommit commit: ObjectID) throws(GitError) -> [(object: ObjectID, noteBlob: ObjectID)] {
        try withCommit(commit) { (handle) throws(GitError) in
            var iterator: OpaquePointer?
            try GitError.check(git_note_commit_iterator_new(&iterator, handle), "git_note_commit_iterator_new")
            defer { git_note_iterator_free(iterator) }
            return try Self.drain(iterator)
        }
    }

    private func note(for object: ObjectID, inNotesCommit commit: ObjectID) throws(GitError) -> String? {
        try withCommit(commit) { (handle) throws(GitError) -> String? in
            var oid = object.raw
            var note: OpaquePointer?
            let result = git_note_commit_read(&note, pointer, handle, &oid)
            if result == GIT_ENOTFOUND.rawValue { return nil }
            try GitError.check(result, "git_note_commit_read")
            defer { git_note_free(note) }
            return git_note_message(note).map { String(cString: $0) }
        }
    }

    private func writeNotesCommit(parent: ObjectID?, object: ObjectID, note: String?, author: Signature) throws(GitError) -> ObjectID {
        try author.withGitSignature { (signature) throws(GitError) -> ObjectID in
            var target = object.raw
            var commitOut = git_oid()
            func write(_ parentHandle: OpaquePointer?) throws(GitError) {
                if let note {
                    var blobOut = git_oid()
                    try GitError.check(
                        git_note_commit_create(&commitOut, &blobOut, pointer, parentHandle, signature, signature, &target, note, 1),
                        "git_note_commit_create")
                } else {
                    try GitError.check(
                        git_note_commit_remove(&commitOut, pointer, parentHandle, signature, signature, &target),
                        "git_note_commit_remove")
                }
            }
            if let parent {
                try withCommit(parent) { (handle) throws(GitError) in try write(handle) }
            } else {
                try write(nil)
            }
            return ObjectID(commitOut)
        }
    }
}
