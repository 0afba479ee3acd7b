import Foundation
import LsmGit
import LsmStore

/// Which session is asking, for tools an agent calls about itself (`session_health` without an id).
/// In order: a session id in the environment (`LSM_SESSION_ID`, or one an agent sets); the agent
/// process this one runs under (its most recent session in the agent's directory); the repository's
/// live session, else its most recent one.
public struct CallingSession: Sendable {
    /// How the session was found.
    public enum Evidence: String, Sendable, Encodable {
        case environment
        case parentProcess = "parent-process"
        case repository
    }

    /// Variables that may name the calling session, the first set one wins.
    public static let environmentKeys = [
        "LSM_SESSION_ID", "CLAUDE_SESSION_ID", "CLAUDE_CODE_SESSION_ID", "CODEX_SESSION_ID", "CODEX_THREAD_ID",
    ]

    /// How many parents up the process tree to look for an agent.
    static let ancestorLimit = 12

    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// The calling session and how it was found.
    public func identify(in catalog: SessionCatalog, repository: Repository?) throws(LsmError) -> (SessionSummary, Evidence) {
        for key in Self.environmentKeys {
            guard let id = workspace.environment[key]?.trimmingCharacters(in: .whitespaces), !id.isEmpty else { continue }
            return (try catalog.session(matching: id).0, .environment)
        }
        let root = workspace.environment["LSM_PROC_ROOT"] ?? "/proc"
        if let agent = Self.agentAncestor(root: root, startingAt: getppid()) {
            let sessions = try catalog.sessions(SessionFilter(agent: agent.agent)).filter { $0.cwd == agent.cwd }
            if let session = sessions.first(where: \.live) ?? sessions.first { return (session, .parentProcess) }
        }
        guard let repository else {
            throw LsmError(
                .user, "cannot tell which session is asking: not in a git repository and no agent process above this one",
                hint: "pass a session id (list_sessions shows them), or set LSM_SESSION_ID in the server's environment")
        }
        let sessions = try catalog.sessions(SessionFilter(repoCommonDir: repository.commonDirectory))
        guard let session = sessions.first(where: \.live) ?? sessions.first else {
            throw LsmError(
                .user, "no agent sessions in this repository", hint: "pass a session id; list_sessions with all=true shows every session")
        }
        return (session, .repository)
    }

    /// The nearest ancestor of `pid` (itself included) that is a coding agent, with its directory.
    static func agentAncestor(root: String, startingAt pid: Int32) -> LiveProcesses.Agent? {
        var current = pid
        for _ in 0..<ancestorLimit where current > 1 {
            if let agent = LiveProcesses.agentName(commandLine: "\(root)/\(current)/cmdline"),
                let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(root)/\(current)/cwd")
            {
                return LiveProcesses.Agent(agent: agent, cwd: cwd)
            }
            guard let parent = parentProcess(of: current, root: root) else { return nil }
            current = parent
        }
        return nil
    }

    /// The parent of `pid`, from `/proc/<pid>/stat` (the field after the parenthesized name).
    static func parentProcess(of pid: Int32, root: String) -> Int32? {
        guard let data = FileManager.default.contents(atPath: "\(root)/\(pid)/stat") else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 1 else { return nil }
        return Int32(fields[1])
    }
}
