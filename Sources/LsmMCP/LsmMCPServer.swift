import Foundation
import LsmCore
import MCP

/// lsm's MCP server: sessions, health, commits and code comments as tools, resources and prompts for
/// the agents themselves. Uses LsmCore's use cases and never LsmCLI; the only target that imports
/// `MCP` (the official Swift SDK).
public enum LsmMCPServer {
    /// A server answering for `workspace` on `transport`, started. `tools/call` is answered by
    /// `DirectToolCallTransport` without the SDK's round trip of each result; everything else by the SDK.
    /// `prepare` brings the index up to date in the background right away, so the first call is quick.
    @discardableResult
    public static func start(workspace: Workspace, version: String, on transport: any Transport, prepare: Bool = false) async throws
        -> Server
    {
        let service = LsmMCPService(workspace: workspace)
        if prepare { Task { await service.prepare() } }
        let server = await make(service: service, version: version)
        let direct = DirectToolCallTransport(transport) { (parameters) throws(MCPError) in
            try await service.callTool(parameters.name, arguments: parameters.arguments)
        }
        try await server.start(transport: direct)
        return server
    }

    private static func make(service: LsmMCPService, version: String) async -> Server {
        let server = Server(
            name: "lsm", version: version, title: "lsm: agent sessions, health and code comments",
            instructions: """
                lsm knows this repository's coding-agent sessions (tokens, cost, context fill, health), the \
                sessions behind each commit, and review comments anchored to lines. Call session_health to \
                see how full your context is, and list_comments before changing a file.
                """,
            capabilities: .init(
                prompts: .init(listChanged: false), resources: .init(subscribe: false, listChanged: false), tools: .init(listChanged: false)
            ),
            configuration: .default)
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: service.tools) }
        await server.withMethodHandler(CallTool.self) { parameters in
            try await service.callTool(parameters.name, arguments: parameters.arguments)
        }
        await server.withMethodHandler(ListResources.self) { _ in ListResources.Result(resources: ResourceCatalog.resources) }
        await server.withMethodHandler(ListResourceTemplates.self) { _ in
            ListResourceTemplates.Result(templates: ResourceCatalog.templates)
        }
        await server.withMethodHandler(ReadResource.self) { parameters in try await service.readResource(parameters.uri) }
        await server.withMethodHandler(ListPrompts.self) { _ in ListPrompts.Result(prompts: PromptCatalog.prompts) }
        await server.withMethodHandler(GetPrompt.self) { parameters in
            try await service.prompt(parameters.name, arguments: parameters.arguments)
        }
        return server
    }

    /// Serves on standard input and output until the client closes them. Nothing but protocol
    /// messages goes to standard output.
    public static func serveStandardIO(workspace: Workspace, version: String) async throws {
        // A client that goes away mid-answer ends the server through EOF, not SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let server = try await start(workspace: workspace, version: version, on: LineStdioTransport(), prepare: true)
        await server.waitUntilCompleted()
    }
}
