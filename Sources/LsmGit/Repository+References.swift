import Clibgit2
import Foundation

extension Repository {
    /// The object a reference points at, or `nil` when the reference does not exist.
    public func referenceTarget(_ name: String) throws(GitError) -> ObjectID? {
        var oid = git_oid()
        let result = git_reference_name_to_id(&oid, pointer, name)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try GitError.check(result, "git_reference_name_to_id")
        return ObjectID(oid)
    }

    /// Points `name` at `target` only if it still points at `expected` (`nil`: only if it does not
    /// exist yet). Throws `GitError` with code `.modified` when another writer got there first, so
    /// callers can re-read and retry; `.locked` when another writer holds the reference's lock.
    public func updateReference(_ name: String, to target: ObjectID, expecting expected: ObjectID?, message: String)
        throws(GitError)
    {
        var newOID = target.raw
        var reference: OpaquePointer?
        // A zero id expects the reference absent. libgit2 checks it under the reference's lock; its
        // `force = 0` check runs before taking the lock, so two creators could both succeed.
        var expectedOID = expected?.raw ?? git_oid()
        let result = git_reference_create_matching(&reference, pointer, name, &newOID, 1, &expectedOID, message)
        defer { git_reference_free(reference) }
        if result == GIT_EEXISTS.rawValue || result == GIT_EMODIFIED.rawValue {
            throw GitError(
                code: .modified, message: "reference \(name) was changed by another writer", function: "git_reference_create_matching")
        }
        try GitError.check(result, "git_reference_create_matching")
    }

    /// Deletes `name` only if it still points at `expected`.
    public func deleteReference(_ name: String, expecting expected: ObjectID) throws(GitError) {
        var reference: OpaquePointer?
        let lookup = git_reference_lookup(&reference, pointer, name)
        if lookup == GIT_ENOTFOUND.rawValue {
            throw GitError(code: .modified, message: "reference \(name) was deleted by another writer", function: "git_reference_lookup")
        }
        try GitError.check(lookup, "git_reference_lookup")
        defer { git_reference_free(reference) }
        guard let current = git_reference_target(reference), ObjectID(current) == expected else {
            throw GitError(code: .modified, message: "reference \(name) was changed by another writer", function: "git_reference_delete")
        }
        // libgit2 deletes only if the reference still has the value just read.
        let result = git_reference_delete(reference)
        if result == GIT_EMODIFIED.rawValue {
            throw GitError(code: .modified, message: "reference \(name) was changed by another writer", function: "git_reference_delete")
        }
        try GitError.check(result, "git_reference_delete")
    }

    /// Every direct reference whose name starts with `prefix` (e.g. `refs/lsm/comments/`), sorted by name.
    public func references(withPrefix prefix: String) throws(GitError) -> [(name: String, target: ObjectID)] {
        var iterator: OpaquePointer?
        try GitError.check(git_reference_iterator_new(&iterator, pointer), "git_reference_iterator_new")
        defer { git_reference_iterator_free(iterator) }
        var found: [(name: String, target: ObjectID)] = []
        var reference: OpaquePointer?
        while true {
            let result = git_reference_next(&reference, iterator)
            if result == GIT_ITEROVER.rawValue { break }
            try GitError.check(result, "git_reference_next")
            defer { git_reference_free(reference) }
            let name = String(cString: git_reference_name(reference))
            guard name.hasPrefix(prefix), let target = git_reference_target(reference) else { continue }
            found.append((name, ObjectID(target)))
        }
        return found.sorted { $0.name < $1.name }
    }

    /// Runs a compare-and-swap update until it succeeds: `attempt` reads the current state and tries to
    /// publish; when another writer won (`.modified`) or holds the lock (`.locked`), it runs again.
    public func retryingConflicts<T>(maxAttempts: Int = 200, _ attempt: () throws(GitError) -> T) throws(GitError) -> T {
        var tries = 0
        while true {
            do {
                return try attempt()
            } catch let error where (error.code == .modified || error.code == .locked) && tries < maxAttempts {
                tries += 1
                // Back off a little, with jitter, so racing writers stop colliding.
                usleep(UInt32.random(in: 100...(1_000 * UInt32(min(tries, 20)))))
            }
        }
    }
}
