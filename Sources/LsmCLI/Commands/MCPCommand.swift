import ArgumentParser
import Foundation
import LsmCore
import LsmMCP

/// `git lsm mcp`: the MCP server on standard input and output, and its registration with agents.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve lsm to coding agents over MCP (stdio), or register it with them.",
        discussion: """
            Without a subcommand, runs the MCP server on standard input and output for the repository it \
            starts in: tools for sessions, health, the sessions behind commits and code comments, the \
            resources lsm://sessions, lsm://session/{id} and lsm://comments/{path}, and the prompts \
            session_health_check and review_context. Standard output carries nothing but protocol \
            messages. Agents start it themselves: register it with git lsm mcp install, or by hand as \
            `claude mcp add lsm -- git lsm mcp` (docs/mcp.md).
            """,
        subcommands: [InstallMCP.self, UninstallMCP.self])

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let workspace = global.workspace(in: CommandContext.current)
        try await LsmMCPServer.serveStandardIO(workspace: workspace, version: Lsm.version)
    }
}

/// Which agents and scope `mcp install` and `mcp uninstall` apply to.
struct MCPClientOptions: ParsableArguments {
    @Flag(help: "Claude Code: .mcp.json at the repository root, or ~/.claude.json (the default agent).")
    var claude = false

    @Flag(help: "Codex CLI: .codex/config.toml at the repository root, or $CODEX_HOME/config.toml.")
    var codex = false

    @Flag(help: "Cursor: .cursor/mcp.json at the repository root, or ~/.cursor/mcp.json.")
    var cursor = false

    @Option(help: ArgumentHelp("project (this repository, the default) or user (every project).", valueName: "scope"))
    var scope: MCPClient.Scope = .project

    var clients: [MCPClient] {
        let chosen = [(claude, MCPClient.claude), (codex, .codex), (cursor, .cursor)].filter(\.0).map(\.1)
        return chosen.isEmpty ? [.claude] : chosen
    }
}

extension MCPClient.Scope: ExpressibleByArgument {}

struct InstallMCP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Register lsm's MCP server (git lsm mcp) with Claude Code, Codex or Cursor.",
        discussion: """
            Adds a server named lsm that runs `git lsm mcp` to the agent's MCP configuration; every other \
            entry and setting stays. An lsm entry that runs something else is left alone (an error says so).
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: MCPClientOptions

    func run() async throws {
        let context = CommandContext.current
        let registration = MCPRegistration(workspace: global.workspace(in: context))
        var changes: [MCPRegistration.Change] = []
        for client in options.clients { changes.append(try registration.install(client, scope: options.scope)) }
        MCPChangesView.render(changes, json: global.json, console: context.console)
    }
}

struct UninstallMCP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uninstall",
        abstract: "Remove lsm's MCP server from Claude Code's, Codex's or Cursor's configuration.",
        discussion: "Removes only the server named lsm that runs git lsm mcp; a file left with nothing else in it is deleted.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: MCPClientOptions

    func run() async throws {
        let context = CommandContext.current
        let registration = MCPRegistration(workspace: global.workspace(in: context))
        var changes: [MCPRegistration.Change] = []
        for client in options.clients { changes.append(try registration.uninstall(client, scope: options.scope)) }
        MCPChangesView.render(changes, json: global.json, console: context.console)
    }
}

/// One line per configuration file touched, or `--json`.
enum MCPChangesView {
    static func render(_ changes: [MCPRegistration.Change], json: Bool, console: Console) {
        if json, let text = try? JSONOutput.encode(changes) {
            console.line(text)
            return
        }
        for change in changes {
            let what: String
            switch change.action {
            case .added: what = "added lsm to"
            case .unchanged: what = "lsm is already in"
            case .removed: what = "removed lsm from"
            case .absent: what = "no lsm entry in"
            }
            console.line("\(what) \(change.path) (\(change.client.rawValue), \(change.scope.rawValue))")
        }
    }
}
