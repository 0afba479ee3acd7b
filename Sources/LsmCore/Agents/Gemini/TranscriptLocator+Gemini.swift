import Foundation

extension TranscriptLocator {
    /// Gemini CLI's folder: `$GEMINI_CLI_HOME/.gemini` (the variable Gemini CLI itself reads as its
    /// home), else `~/.gemini`.
    public var geminiRoot: String {
        let home = environment["GEMINI_CLI_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? homeFolder
        return home + "/.gemini"
    }

    /// The home folder the environment names.
    var homeFolder: String { environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path }

    /// Chat files under `tmp/<project>/chats/`: `session-*.jsonl`, legacy `session-*.json`, and
    /// subagents' `<parent>/<session>.jsonl`. A legacy `.json` that Gemini CLI has migrated to a
    /// `.jsonl` beside it counts once, as the `.jsonl`.
    func geminiFiles() -> [TranscriptFile] {
        let tmp = geminiRoot + "/tmp"
        let projects = (try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? []
        var files: [TranscriptFile] = []
        for project in projects.sorted() {
            let found = DirectoryWalker.files(under: tmp + "/" + project + "/chats") { $0.hasSuffix(".jsonl") || $0.hasSuffix(".json") }
            let paths = Set(found.map(\.path))
            for (path, info) in found where !(path.hasSuffix(".json") && paths.contains(path + "l")) {
                files.append(TranscriptFile(path: path, agent: .gemini, stat: info))
            }
        }
        return files
    }

    /// A chat file is named after its session until its records say otherwise: the file's stem
    /// (`session-2026-01-01T10-00-1a2b3c4d`, or a subagent's own id).
    static func geminiSessionID(_ path: String) -> String {
        let name = (path as NSString).lastPathComponent
        for suffix in [".jsonl", ".json"] where name.hasSuffix(suffix) { return String(name.dropLast(suffix.count)) }
        return name
    }
}
