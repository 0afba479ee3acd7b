import Foundation

/// A private copy of a locked database file, with its `-wal` or `-journal` beside it, in a temporary
/// folder that is removed when the copy goes away.
///
/// Copying the journal too means SQLite sees the copy as the owner's last committed state: it replays
/// a WAL, and rolls back a transaction the owner had not finished.
final class ForeignDatabaseCopy {
    /// The copied database file.
    let path: String
    private let folder: URL

    init(of original: String) throws(StoreError) {
        let manager = FileManager.default
        folder = manager.temporaryDirectory.appendingPathComponent("lsm-foreign-\(UUID().uuidString)", isDirectory: true)
        let copied = folder.appendingPathComponent((original as NSString).lastPathComponent)
        path = copied.path
        do {
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
            try manager.copyItem(atPath: original, toPath: path)
            for suffix in ["-wal", "-journal"] where manager.fileExists(atPath: original + suffix) {
                try manager.copyItem(atPath: original + suffix, toPath: path + suffix)
            }
        } catch {
            try? manager.removeItem(at: folder)
            throw StoreError(
                kind: .cannotOpen, path: original, reason: "it is locked, and copying it failed: \(IndexDatabase.reason(error))")
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }
}
