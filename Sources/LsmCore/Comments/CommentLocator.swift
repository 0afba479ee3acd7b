import Foundation
import LsmGit
import LsmStore

/// Relocates many threads at once, reusing what earlier listings found: where a thread's code is in a
/// version of a file depends only on the thread's (immutable) anchor and that file's blob, so results
/// are kept in the index per (thread, path, blob) and only threads whose file changed are relocated.
struct CommentLocator {
    /// Bumped whenever relocation changes, so results of an older version are not reused.
    static let algorithmVersion = 2

    let repository: Repository
    /// The index to keep results in; without one (an unwritable `LSM_HOME`), everything is relocated.
    let index: IndexDatabase?
    let now: Date

    func locate(_ anchors: [Anchor], ids: [String], at target: RelocationTarget) throws(LsmError) -> [AnchorLocation] {
        var blobs: [String: ObjectID?] = [:]
        var keys: [(threadID: String, path: String, blob: String)?] = []
        for anchor in anchors {
            if blobs[anchor.path] == nil { blobs[anchor.path] = try blob(of: anchor.path, at: target) }
            let key = (blobs[anchor.path] ?? nil).map { (threadID: "", path: anchor.path, blob: "v\(Self.algorithmVersion):\($0.hex)") }
            keys.append(key)
        }
        let wanted = zip(ids, keys).compactMap { id, key in key.map { (threadID: id, path: $0.path, blob: $0.blob) } }
        var cached: [String: CommentLocationRecord] = [:]
        for record in (try? index?.commentLocations(wanted)) ?? [] { cached[record.threadID] = record }

        var results: [AnchorLocation?] = Array(repeating: nil, count: anchors.count)
        var missing: [Int] = []
        for (offset, id) in ids.enumerated() {
            if let anchorBlob = (blobs[anchors[offset].path] ?? nil), anchorBlob.hex == anchors[offset].blob {
                results[offset] = AnchorLocation(
                    state: .current, path: anchors[offset].path, startLine: anchors[offset].startLine, endLine: anchors[offset].endLine)
            } else if keys[offset] != nil, let record = cached[id], let state = AnchorState(rawValue: record.state) {
                results[offset] = AnchorLocation(state: state, path: record.foundPath, startLine: record.startLine, endLine: record.endLine)
            } else {
                missing.append(offset)
            }
        }
        // One batch: each file is read, and each anchored blob diffed against it, once.
        let relocated = try Relocator(repository: repository).relocate(missing.map { anchors[$0] }, to: target)
        var found: [CommentLocationRecord] = []
        for (offset, location) in zip(missing, relocated) {
            results[offset] = location
            if let key = keys[offset] {
                found.append(
                    CommentLocationRecord(
                        threadID: ids[offset], path: key.path, blob: key.blob, state: location.state.rawValue, foundPath: location.path,
                        startLine: location.startLine, endLine: location.endLine))
            }
        }
        try? index?.storeCommentLocations(found, at: now.timeIntervalSince1970)
        return results.map { $0 ?? .orphaned }
    }

    /// The blob of `path` at the target; `nil` when there is no such file (a rename or a deletion:
    /// relocated every time, since the answer depends on more than one file).
    private func blob(of path: String, at target: RelocationTarget) throws(LsmError) -> ObjectID? {
        do {
            switch target {
            case .commit(let commit):
                return try repository.blobID(at: path, in: commit)
            case .workingTree:
                guard let root = repository.workDirectory,
                    let contents = FileManager.default.contents(atPath: (root as NSString).appendingPathComponent(path))
                else { return nil }
                return try ObjectID.blob(hashing: contents)
            }
        } catch {
            throw LsmError.wrapping(error)
        }
    }
}
