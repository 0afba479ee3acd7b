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
