import Foundation
import LsmGit
import LsmStore

/// Handles an agent's hook event (`git lsm agent-event <agent>`): which session is at work in which
/// repository right now, and which files it just edited. Claude Code sends the event as JSON on
/// standard input; Codex's `notify` program gets it as its last argument.
public struct AgentEventRecorder: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// Records one event. Throws only for input that is not an event; the command that calls this
    /// still exits 0 and prints nothing, so a broken index never disturbs the agent.
    public func record(agent name: String, payload: Data) throws(LsmError) {
        guard let agent = Self.agent(named: name) else {
            throw LsmError(.user, "unknown agent '\(name)'", hint: "use claude or codex")
        }
        guard let object = try? JSONSerialization.jsonObject(with: payload), let event = object as? [String: Any] else {
            throw LsmError(.user, "the \(name) hook event is not a JSON object")
        }
        guard let id = (event["session_id"] ?? event["thread-id"] ?? event["thread_id"]) as? String, !id.isEmpty else {
            throw LsmError(.user, "the \(name) hook event names no session")
        }
        let eventName = (event["hook_event_name"] ?? event["type"]) as? String ?? "event"
        let cwd = event["cwd"] as? String
        let now = workspace.now().timeIntervalSince1970
        let commonDirectory = cwd.flatMap { try? Repository.discover(containing: $0).commonDirectory }
        let activity = AgentActivity(
            sessionKey: SessionKey.make(agent, id), agent: agent.rawValue, id: id, cwd: cwd, repoCommonDir: commonDirectory,
            transcriptPath: event["transcript_path"] as? String, lastEvent: eventName, lastEventAt: now,
            endedAt: eventName == "SessionEnd" ? now : nil)
        let edits = Self.editedPaths(event, cwd: cwd)
        do {
            try workspace.openIndex().recordActivity(activity, editedPaths: edits)
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    static func agent(named name: String) -> AgentKind? {
        switch name {
        case "claude", "claude-code": .claudeCode
        case "codex": .codex
        default: nil
        }
    }

    /// The files a `PostToolUse` event's editing tool wrote, as absolute paths.
    static func editedPaths(_ event: [String: Any], cwd: String?) -> [(path: String, tool: String)] {
        guard let tool = event["tool_name"] as? String, CommitRecorder.editingTools.contains(tool),
            let input = event["tool_input"] as? [String: Any]
        else { return [] }
        let paths = ["file_path", "notebook_path", "path"].compactMap { input[$0] as? String }
        return paths.map { path in
            let absolute = path.hasPrefix("/") || cwd == nil ? path : ((cwd ?? "") as NSString).appendingPathComponent(path)
            return (absolute, tool)
        }
    }
}
