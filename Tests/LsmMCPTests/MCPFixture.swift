import Foundation
import LsmCore
import LsmTestSupport
import MCP

@testable import LsmMCP

/// A repository with one Claude Code session in it and a commit, served in-process over the SDK's
/// in-memory transport, with the SDK's own client on the other end.
final class MCPFixture: @unchecked Sendable {
    static let sessionID = "abc12345-0000"

    let repo: TestRepository
    let environment: [String: String]
    let client: Client
    let server: Server

    init(extraEnvironment: [String: String] = [:]) async throws {
        repo = try TestRepository()
        try repo.commit("Initial", files: ["src/a.swift": (1...10).map { "let line\($0) = \($0)" }.joined(separator: "\n") + "\n"])
        let claude = repo.sandbox.child("claude/projects/p")
        try FileManager.default.createDirectory(atPath: claude, withIntermediateDirectories: true)
        let prompt = """
            {"type":"user","sessionId":"\(Self.sessionID)","cwd":"\(repo.path)","gitBranch":"main","timestamp":"2026-01-01T09:59:00Z",\
            "uuid":"u1","message":{"role":"user","content":"Rename a to b"}}
            """
        let assistant = """
            {"type":"assistant","sessionId":"\(Self.sessionID)","cwd":"\(repo.path)","gitBranch":"main","timestamp":"2026-01-01T10:00:00Z",\
            "requestId":"r1","message":{"id":"m1","model":"claude-sonnet-4-5-20250929","role":"assistant","content":[\
            {"type":"tool_use","id":"t1","name":"Edit","input":{"file_path":"\(repo.path)/src/a.swift"}}],\
            "usage":{"input_tokens":1000,"output_tokens":500,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}}
            """
        try Data((prompt + "\n" + assistant + "\n").utf8).write(to: URL(fileURLWithPath: claude + "/\(Self.sessionID).jsonl"))
        var environment = repo.environment
        environment["CLAUDE_CONFIG_DIR"] = repo.sandbox.child("claude")
        environment["CODEX_HOME"] = repo.sandbox.child("codex")
        environment["LSM_HOME"] = repo.sandbox.child("lsm-home")
        // No agent processes: the calling session is found from the repository (or the environment).
        environment["LSM_PROC_ROOT"] = repo.sandbox.child("no-proc")
        environment.merge(extraEnvironment) { _, new in new }
        self.environment = environment

        let (clientTransport, serverTransport) = await InMemoryTransport.createConnectedPair()
        server = try await LsmMCPServer.start(
            workspace: Workspace(directory: repo.path, environment: environment), version: "test", on: serverTransport)
        client = Client(name: "lsm-tests", version: "1")
        try await client.connect(transport: clientTransport)
    }

    /// The whole result of a tool call, structured content included.
    func call(_ name: String, _ arguments: [String: Value] = [:]) async throws -> CallTool.Result {
        try await client.send(CallTool.request(.init(name: name, arguments: arguments))).value
    }

    func close() async {
        await client.disconnect()
        await server.stop()
    }
}

extension CallTool.Result {
    /// The first text content.
    var text: String {
        for item in content { if case .text(let text, _, _) = item { return text } }
        return ""
    }

    subscript(key: String) -> Value? {
        structuredContent?.objectValue?[key]
    }
}
