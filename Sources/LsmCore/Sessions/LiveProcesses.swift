import Foundation

/// The coding agents running right now, from `/proc` (Linux): each process's command line names the
/// agent, and its working directory says where it runs. Elsewhere the list is empty and a session
/// counts as live only from recent transcript growth.
public struct LiveProcesses: Sendable, Equatable {
    /// A running agent: its `--agent` name and working directory.
    public struct Agent: Sendable, Equatable, Hashable {
        public var agent: String
        public var cwd: String

        public init(agent: String, cwd: String) {
            self.agent = agent
            self.cwd = cwd
        }
    }

    /// Executable names of each agent's command line tool.
    static let executables: [String: String] = [
        "claude": "claude-code", "codex": "codex", "cursor-agent": "cursor", "gemini": "gemini", "copilot": "copilot",
    ]

    public let running: Set<Agent>

    public init(running: Set<Agent>) {
        self.running = running
    }

    /// Reads every process under `root` (normally `/proc`).
    public static func scan(root: String = "/proc") -> LiveProcesses {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: root) else { return LiveProcesses(running: []) }
        var running = Set<Agent>()
        for entry in entries where entry.first?.isNumber == true {
            guard let agent = agentName(commandLine: "\(root)/\(entry)/cmdline"),
                let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(root)/\(entry)/cwd")
            else { continue }
            running.insert(Agent(agent: agent, cwd: cwd))
        }
        return LiveProcesses(running: running)
    }

    /// The agent a process runs, from the first two words of its command line (`claude …`, or
    /// `node /usr/local/bin/claude …`).
    static func agentName(commandLine path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else { return nil }
        let words = data.split(separator: 0, omittingEmptySubsequences: true).prefix(2)
        for word in words {
            let name = (String(decoding: word, as: UTF8.self) as NSString).lastPathComponent
            if let agent = executables[name] { return agent }
        }
        return nil
    }

    /// Whether `agent` runs in `cwd`.
    public func isRunning(agent: String, in cwd: String?) -> Bool {
        guard let cwd else { return false }
        return running.contains(Agent(agent: agent, cwd: cwd))
    }
}
