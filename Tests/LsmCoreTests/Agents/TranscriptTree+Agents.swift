import Foundation
import LsmCore
import LsmStore
import LsmTestSupport

/// Gemini CLI and Copilot files in a `TranscriptTree`, at the places the agents use under its `HOME`.
extension TranscriptTree {
    var geminiRoot: String { folder.path + "/.gemini" }
    var vscodeUser: String { folder.path + "/.config/Code/User" }
    var copilotHome: String { folder.path + "/.copilot" }

    /// Writes a Gemini chat `tmp/<project>/chats/<name>` with these lines.
    @discardableResult
    func gemini(project: String, _ name: String, _ lines: [String]) throws -> String {
        try write(geminiRoot + "/tmp/\(project)/chats/\(name)", lines.joined(separator: "\n") + "\n")
    }

    /// Writes a VS Code chat session `workspaceStorage/<workspace>/chatSessions/<name>`, and the
    /// workspace's `workspace.json` naming `folder`.
    @discardableResult
    func copilotChat(workspace: String, folder: String? = "/work/app", _ name: String, _ text: String) throws -> String {
        if let folder { try write(vscodeUser + "/workspaceStorage/\(workspace)/workspace.json", #"{"folder":"file://\#(folder)"}"#) }
        return try write(vscodeUser + "/workspaceStorage/\(workspace)/chatSessions/\(name)", text)
    }

    /// Writes a Copilot CLI event log `session-state/<id>/events.jsonl`.
    @discardableResult
    func copilotCLI(_ id: String, _ lines: [String]) throws -> String {
        try write(copilotHome + "/session-state/\(id)/events.jsonl", lines.joined(separator: "\n") + "\n")
    }

    /// The text of a fixture under `shared/fixtures/agents`.
    func fixtureText(_ name: String) throws -> String {
        let source = Self.fixtures.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: source.path) else {
            throw TestFailure("missing fixture \(source.path): the tests expect shared/ beside the project")
        }
        return try String(contentsOf: source, encoding: .utf8)
    }

    /// Refreshes the index and returns the session's summary and its timeline.
    func summaryAndTimeline(_ id: String) throws -> (SessionSummary, SessionDetail) {
        let workspace = Workspace(directory: folder.path, environment: environment)
        let (catalog, _) = try workspace.refreshedCatalog()
        return try catalog.session(matching: id)
    }
}

extension SessionDetail {
    /// The texts of the timeline's events of `kind`.
    func texts(_ kind: String) -> [String] { events.filter { $0.kind == kind }.map(\.text) }
}
