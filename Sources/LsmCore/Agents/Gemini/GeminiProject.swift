import Foundation

/// The project folder of a Gemini CLI chat, which the chat's records never name.
///
/// Chats live in `tmp/<project>/chats/`. Newer Gemini CLI names `<project>` with a short slug and
/// writes the folder's path into `tmp/<project>/.project_root` (and `projects.json`); older ones name
/// it `sha256(project root)`, which can only be checked, not reversed: lsm hashes the folders the
/// chat's tools worked in (and their parents) and takes the one whose hash matches.
struct GeminiProject {
    /// Gemini CLI's folder (`~/.gemini`).
    let root: String
    /// The name of the project's folder under `tmp/`.
    let name: String

    /// The project of a file under `<root>/tmp/<name>/chats/`; `nil` for any other path.
    init?(chatFile path: String) {
        let components = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard let chats = components.lastIndex(of: "chats"), chats >= 2, components[chats - 2] == "tmp" else { return nil }
        name = components[chats - 1]
        root = components[..<(chats - 2)].joined(separator: "/")
    }

    /// A subagent's chat sits in `chats/<parent session>/`: the parent's id.
    func parentSessionID(of path: String) -> String? {
        let folder = (path as NSString).deletingLastPathComponent
        let parent = (folder as NSString).lastPathComponent
        return parent == "chats" ? nil : parent
    }

    /// The project's folder: from `.project_root`, else `projects.json`, else the candidate whose
    /// SHA-256 is the project's hash (`hash`, or the folder's name when it is one).
    func root(hash: String?, candidates: [String]) -> String? {
        let folder = root + "/tmp/" + name
        if let marker = try? String(contentsOfFile: folder + "/.project_root", encoding: .utf8) {
            let path = marker.trimmingCharacters(in: .whitespacesAndNewlines)
            if !path.isEmpty { return path }
        }
        if let registered = registeredProject() { return registered }
        let hash = (hash ?? name).lowercased()
        guard hash.count == 64, hash.allSatisfy(\.isHexDigit) else { return nil }
        var tried = Set<String>()
        for candidate in candidates where candidate.hasPrefix("/") && candidate.utf8.count <= 4096 {
            var path = candidate
            while path.count > 1, tried.count < 256 {
                if tried.insert(path).inserted, SHA256.hex(path) == hash { return path }
                path = (path as NSString).deletingLastPathComponent
            }
        }
        return nil
    }

    /// The folder `projects.json` maps to this project's name.
    private func registeredProject() -> String? {
        guard let data = FileManager.default.contents(atPath: root + "/projects.json"),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let projects = object["projects"] as? [String: Any]
        else { return nil }
        return projects.first { ($0.value as? String) == name }?.key
    }
}
