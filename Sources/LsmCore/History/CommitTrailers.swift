import Foundation

/// What a commit message's trailers say about agents: `LSM-Session: <agent>/<id>` (lsm's
/// `--trailer` hook) and `Co-authored-by:` (also `Assisted-by:`, `Generated-by:`) naming a known agent.
struct CommitTrailers: Sendable {
    /// Sessions named by `LSM-Session`, as (agent, id).
    var sessions: [(agent: String, id: String)] = []
    /// Agents named as co-authors, in lsm's agent names.
    var coAuthors: [String] = []

    /// Reads the trailers of `message`: `Key: value` lines of its last paragraph (lenient: any line
    /// of the message in that form counts, as squash merges often bury them).
    init(message: String) {
        for line in message.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "lsm-session":
                guard let slash = value.firstIndex(of: "/") else { continue }
                let agent = String(value[..<slash])
                let id = String(value[value.index(after: slash)...])
                if !agent.isEmpty, !id.isEmpty, !sessions.contains(where: { $0.agent == agent && $0.id == id }) {
                    sessions.append((agent, id))
                }
            case "co-authored-by", "assisted-by", "generated-by":
                if let agent = Self.agent(named: value), !coAuthors.contains(agent) { coAuthors.append(agent) }
            default:
                continue
            }
        }
    }

    /// The agent a co-author line (`Name <email>`) names, if it is one lsm knows.
    static func agent(named identity: String) -> String? {
        let text = identity.lowercased()
        let rules: [(agent: AgentKind, markers: [String])] = [
            (.claudeCode, ["noreply@anthropic.com", "claude"]),
            (.codex, ["codex", "openai.com", "chatgpt"]),
            (.copilot, ["copilot"]),
            (.cursor, ["cursoragent@cursor.com", "cursor agent", "cursor"]),
            (.gemini, ["gemini"]),
        ]
        return rules.first { rule in rule.markers.contains { text.contains($0) } }?.agent.rawValue
    }
}
