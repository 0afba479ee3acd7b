import Foundation

/// A Git AI Standard v3.0.0 authorship note (`refs/notes/ai`, written by git-ai): which lines of
/// which files an agent wrote in a commit. Format in shared/reference/agent-sessions.md §1.5.
struct GitAINote: Sendable {
    static let notesRef = "refs/notes/ai"

    /// The agent behind an attestation key.
    struct Agent: Sendable, Equatable {
        /// lsm's agent name when git-ai's tool is one lsm knows (`claude` → `claude-code`), else the tool.
        var agent: String
        var session: String?
        var model: String?
    }

    /// Per file (as the commit names it), attested line ranges (1-based, inclusive) and their key.
    var ranges: [String: [(lines: ClosedRange<Int>, key: String)]] = [:]
    /// Agents by attestation key (a `s_…` session, a legacy prompt key); human keys are absent.
    var agents: [String: Agent] = [:]

    /// The agent that wrote `line` of `path` in this commit, if the note attests one.
    func agent(path: String, line: Int) -> Agent? {
        guard let entries = ranges[path], let entry = entries.first(where: { $0.lines.contains(line) }) else { return nil }
        // `s_<session>::t_<trace>`: the session part names the agent.
        let sessionKey = entry.key.components(separatedBy: "::").first ?? entry.key
        return agents[sessionKey] ?? agents[entry.key]
    }

    /// Parses the note; `nil` when it is not one (no divider, or JSON that is not an authorship log).
    static func parse(_ text: String) -> GitAINote? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let divider = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }) else { return nil }
        var note = GitAINote()
        var file: String?
        for line in lines[..<divider] where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            guard line.hasPrefix(" ") else {
                file = unquote(line.trimmingCharacters(in: .whitespaces))
                continue
            }
            guard let file else { continue }
            let parts = line.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            for range in parts[1].split(separator: ",") {
                let bounds = range.split(separator: "-").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard let low = bounds.first, let high = bounds.last, bounds.count <= 2, low >= 1, low <= high else { continue }
                note.ranges[file, default: []].append((low...high, String(parts[0])))
            }
        }
        let json = lines[lines.index(after: divider)...].joined(separator: "\n")
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return nil }
        for section in ["prompts", "sessions"] {
            for (key, value) in object[section] as? [String: Any] ?? [:] {
                guard let entry = value as? [String: Any], let agentID = entry["agent_id"] as? [String: Any] else { continue }
                guard let tool = agentID["tool"] as? String, !tool.isEmpty else { continue }
                note.agents[key] = Agent(agent: agentName(tool), session: agentID["id"] as? String, model: agentID["model"] as? String)
            }
        }
        return note
    }

    /// lsm's name for a git-ai tool.
    static func agentName(_ tool: String) -> String {
        tool == "claude" ? AgentKind.claudeCode.rawValue : tool
    }

    /// A path line, unquoted when git-ai quoted it (paths with spaces).
    private static func unquote(_ text: String) -> String {
        guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else { return text }
        return String(text.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(
            of: "\\\\", with: "\\")
    }
}
