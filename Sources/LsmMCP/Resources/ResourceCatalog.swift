import Foundation
import LsmCore
import LsmStore
import MCP

/// The resources: `lsm://sessions` (this repository's sessions), `lsm://session/{id}` (one session) and
/// `lsm://comments/{path}` (open threads on a file or folder; `lsm://comments` for all), each the JSON
/// the matching `--json` command prints.
enum ResourceCatalog {
    static let sessionsURI = "lsm://sessions"
    static let commentsURI = "lsm://comments"

    static let resources = [
        Resource(
            name: "sessions", uri: sessionsURI, title: "Agent sessions of this repository",
            description: "Every agent session of this repository, most recent first (git lsm list --json).", mimeType: "application/json"),
        Resource(
            name: "comments", uri: commentsURI, title: "Open comment threads",
            description: "Open review comment threads of the repository where their code is now (git lsm comments --json).",
            mimeType: "application/json"),
    ]

    static let templates = [
        Resource.Template(
            uriTemplate: "lsm://session/{id}", name: "session", title: "One agent session",
            description: "A session with its timeline and files touched (git lsm show <id> --json); the id or a unique prefix.",
            mimeType: "application/json"),
        Resource.Template(
            uriTemplate: "lsm://comments/{path}", name: "comments-for-path", title: "Comment threads on a file or folder",
            description: "Open review comment threads on a path relative to the repository root (git lsm comments <path> --json).",
            mimeType: "application/json"),
    ]

    /// The JSON text of `uri`; `nil` when no resource has that address.
    static func read(_ uri: String, state: ServerState) throws(LsmError) -> String? {
        if uri == sessionsURI {
            var filter = SessionFilter()
            if let repository = try state.repositoryIfPresent() { filter.repoCommonDir = repository.commonDirectory }
            return try ValueEncoding.json(try state.catalog().sessions(filter))
        }
        if let id = suffix(of: uri, after: "lsm://session/") {
            let catalog = try state.catalog()
            let (summary, detail) = try catalog.session(matching: id)
            return try ValueEncoding.json(
                SessionDetailJSON(summary: summary, detail: detail, commits: SessionCommits(index: catalog.index).commits(of: summary)))
        }
        if uri == commentsURI || uri == commentsURI + "/" {
            return try ValueEncoding.json(
                try CommentBoard(workspace: state.workspace, threadCache: state.threadCache).threads(
                    path: nil, all: false, revision: nil, in: state.repository()))
        }
        if let path = suffix(of: uri, after: commentsURI + "/") {
            let repository = try state.repository()
            // Paths in resource addresses are relative to the repository root, wherever the server runs.
            return try ValueEncoding.json(
                try CommentBoard(workspace: state.workspace(atRootOf: repository), threadCache: state.threadCache).threads(
                    path: path, all: false, revision: nil, in: repository))
        }
        return nil
    }

    /// The percent-decoded rest of `uri` after `prefix`; `nil` when it does not start so or is empty.
    private static func suffix(of uri: String, after prefix: String) -> String? {
        guard uri.hasPrefix(prefix) else { return nil }
        let rest = String(uri.dropFirst(prefix.count))
        let decoded = rest.removingPercentEncoding ?? rest
        return decoded.isEmpty ? nil : decoded
    }
}
