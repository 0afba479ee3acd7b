import Foundation

extension TranscriptLocator {
    /// The trees a watcher follows: Claude Code's projects and Codex's rollouts.
    public var watchedRoots: [String] {
        claudeRoots.map { $0 + "/projects" } + [codexRoot + "/sessions", codexRoot + "/archived_sessions"]
    }

    /// The transcript files among `paths` as they are now, when every path is one lsm can place
    /// (a Claude Code or Codex transcript); `nil` when one is not, so the caller looks at everything.
    public func transcriptFiles(at paths: Set<String>) -> [TranscriptFile]? {
        let claudeProjects = claudeRoots.map { $0 + "/projects/" }
        let codexFolders = [codexRoot + "/sessions/", codexRoot + "/archived_sessions/"]
        var files: [TranscriptFile] = []
        for path in paths.sorted() {
            let name = (path as NSString).lastPathComponent
            let agent: AgentKind
            if name.hasSuffix(".jsonl"), claudeProjects.contains(where: { path.hasPrefix($0) }) {
                agent = .claudeCode
            } else if name.hasPrefix("rollout-"), name.hasSuffix(".jsonl"), codexFolders.contains(where: { path.hasPrefix($0) }) {
                agent = .codex
            } else {
                return nil
            }
            if let file = TranscriptFile.current(path: path, agent: agent) { files.append(file) }
        }
        return files
    }
}
