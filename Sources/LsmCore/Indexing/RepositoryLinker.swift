import Foundation
import LsmGit
import LsmStore

/// Ties sessions to the repository containing their working directory: its common dir (so linked
/// worktrees group with their main repository) and the work tree the session ran in.
struct RepositoryLinker {
    let index: IndexDatabase

    func linkNewSessions() throws(StoreError) {
        var cache: [String: (workDir: String?, commonDir: String?)] = [:]
        var links: [(sessionKey: String, cwd: String, workDir: String?, commonDir: String?)] = []
        let needing = try index.sessionsNeedingRepository()
        // An imported session stays tied to the repository its import chose (`git lsm import`).
        let imported = needing.isEmpty ? [:] : try index.importedSessions()
        for (key, cwd) in needing {
            if let chosen = imported[key], let common = chosen.repoCommonDir {
                links.append((key, cwd, chosen.repoWorkDir, common))
                continue
            }
            let found = cache[cwd] ?? Self.repository(containing: cwd)
            cache[cwd] = found
            links.append((key, cwd, found.workDir, found.commonDir))
        }
        try index.setRepositories(links)
    }

    /// The repository containing `cwd`, or its nearest existing parent folder when `cwd` is gone;
    /// `nil`s when it is in none.
    static func repository(containing cwd: String) -> (workDir: String?, commonDir: String?) {
        var path = cwd
        while !FileManager.default.fileExists(atPath: path) {
            let parent = (path as NSString).deletingLastPathComponent
            if parent == path || parent.isEmpty { return (nil, nil) }
            path = parent
        }
        guard let repository = try? Repository.discover(containing: path) else { return (nil, nil) }
        return (repository.workDirectory, repository.commonDirectory)
    }
}
