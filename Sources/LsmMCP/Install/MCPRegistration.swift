import Foundation
import LsmCore
import LsmGit

/// `git lsm mcp install` and `uninstall`: adds or removes the server entry named `lsm` in an agent's
/// MCP configuration, leaving every other entry and setting as it was. An `lsm` entry that runs
/// something else is never overwritten or removed.
public struct MCPRegistration: Sendable {
    /// The command agents run.
    public static let command = "git"
    public static let arguments = ["lsm", "mcp"]
    /// The server's name in each configuration.
    public static let serverName = "lsm"

    /// What one install or uninstall did to one file.
    public struct Change: Encodable, Sendable, Equatable {
        public enum Action: String, Encodable, Sendable {
            case added
            case removed
            /// Installing: lsm's entry was already there.
            case unchanged
            /// Uninstalling: there was no lsm entry.
            case absent
        }

        public var client: MCPClient
        public var scope: MCPClient.Scope
        public var path: String
        public var action: Action
    }

    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    public func install(_ client: MCPClient, scope: MCPClient.Scope) throws(LsmError) -> Change {
        let path = try client.configurationPath(scope: scope, projectRoot: projectRoot(), environment: workspace.environment)
        let added: Bool
        switch client {
        case .codex: added = try CodexMCPConfig(path: path).install()
        case .claude: added = try JSONMCPConfig(path: path, stdioType: true).install()
        case .cursor: added = try JSONMCPConfig(path: path, stdioType: false).install()
        }
        return Change(client: client, scope: scope, path: path, action: added ? .added : .unchanged)
    }

    public func uninstall(_ client: MCPClient, scope: MCPClient.Scope) throws(LsmError) -> Change {
        let path = try client.configurationPath(scope: scope, projectRoot: projectRoot(), environment: workspace.environment)
        let removed: Bool
        switch client {
        case .codex: removed = try CodexMCPConfig(path: path).uninstall()
        case .claude, .cursor: removed = try JSONMCPConfig(path: path, stdioType: client == .claude).uninstall()
        }
        return Change(client: client, scope: scope, path: path, action: removed ? .removed : .absent)
    }

    private func projectRoot() throws(LsmError) -> String? {
        try workspace.openRepositoryIfPresent()?.workDirectory
    }

    /// The error for an `lsm` entry that is not lsm's.
    static func foreignEntry(_ path: String) -> LsmError {
        LsmError(
            .user, "\(path) already has an MCP server named lsm that does not run git lsm mcp",
            hint: "rename or remove that entry, then run git lsm mcp install again")
    }
}
