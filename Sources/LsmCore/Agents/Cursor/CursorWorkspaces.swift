import Foundation
import LsmStore

/// Which folder each Cursor conversation belongs to, from the workspace databases:
/// `User/workspaceStorage/<hash>/state.vscdb` lists the workspace's conversations in
/// `ItemTable['composer.composerData']`, and `workspace.json` beside it names the folder.
enum CursorWorkspaces {
    /// Each workspace database under `userDir`, with the folder its `workspace.json` names (`nil` for
    /// a multi-root workspace, a remote folder, or a missing or unreadable `workspace.json`).
    static func databases(userDir: String) -> [(path: String, folder: String?)] {
        let storage = userDir + "/workspaceStorage"
        guard let hashes = try? FileManager.default.contentsOfDirectory(atPath: storage) else { return [] }
        return hashes.sorted().compactMap { hash in
            let path = storage + "/" + hash + "/state.vscdb"
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            return (path, folder(workspaceJSON: storage + "/" + hash + "/workspace.json"))
        }
    }

    /// The folder of every conversation listed in a workspace database under `userDir`, by composer
    /// id. Unreadable databases are skipped: a conversation without a folder is still read.
    static func folders(userDir: String) -> [String: String] {
        var folders: [String: String] = [:]
        for (path, folder) in databases(userDir: userDir) {
            guard let folder, let ids = try? composerIDs(database: path) else { continue }
            for id in ids { folders[id] = folder }
        }
        return folders
    }

    /// `{"folder": "file:///abs/path"}` → `/abs/path` (percent-decoded).
    static func folder(workspaceJSON path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path),
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let folder = object["folder"] as? String, let url = URL(string: folder), url.isFileURL
        else { return nil }
        let decoded = url.path
        return decoded.isEmpty ? nil : decoded
    }

    private static func composerIDs(database path: String) throws(StoreError) -> [String] {
        let database = try ForeignDatabase(path: path)
        guard try database.hasTable("ItemTable"), let data = try database.value(in: "ItemTable", key: "composer.composerData"),
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let composers = object["allComposers"] as? [Any]
        else { return [] }
        return composers.compactMap { ($0 as? [String: Any])?["composerId"] as? String }
    }
}
