import Foundation
import LsmCore
import LsmTestSupport
import MCP
import Testing

@testable import LsmMCP

/// The server in-process, spoken to by the SDK's client over the in-memory transport.
@Suite struct MCPServerTests {
    @Test func negotiatesTheNewestRevisionAndListsEveryTool() async throws {
        let fixture = try await MCPFixture()
        defer { Task { await fixture.close() } }

        let tools = try await fixture.client.listTools().tools
        let names = Set(tools.map(\.name))

        #expect(
            names == [
                "repo_status", "list_sessions", "get_session", "session_health", "list_comments", "add_comment", "reply_comment",
                "resolve_comment", "commit_sessions", "find_session", "discover_sessions", "search_transcripts", "search_memory",
                "add_memory", "export_session",
            ])
        #expect(Version.latest == "2025-11-25")
        for tool in tools {
            #expect(tool.description?.isEmpty == false, "\(tool.name) has no description")
            #expect(tool.inputSchema.objectValue?["type"] == "object")
        }
        #expect(tools.first { $0.name == "list_sessions" }?.annotations.readOnlyHint == true)
        #expect(tools.first { $0.name == "add_comment" }?.annotations.readOnlyHint == false)
    }

    @Test func exportSessionWritesOnlyIntoTheWorkTree() async throws {
        let fixture = try await MCPFixture()
        let outside = try TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: fixture.repo.path + "/elsewhere", withDestinationPath: outside.path)
        let hook = fixture.repo.path + "/.git/hooks/post-commit"

        let intoGit = try await fixture.call("export_session", ["id": .string(MCPFixture.sessionID), "output": ".git/hooks/post-commit"])
        let throughLink = try await fixture.call("export_session", ["id": .string(MCPFixture.sessionID), "output": "elsewhere/x.md"])
        let inside = try await fixture.call("export_session", ["id": .string(MCPFixture.sessionID), "output": "x.md"])

        #expect(intoGit.isError == true && throughLink.isError == true, "\(intoGit.text) \(throughLink.text)")
        #expect(!FileManager.default.fileExists(atPath: hook))
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
        #expect(inside.isError != true, "\(inside.text)")
    }

    @Test func listSessionsReturnsTheRepositorysSessionAsStructuredContent() async throws {
        let fixture = try await MCPFixture()
        defer { Task { await fixture.close() } }

        let result = try await fixture.call("list_sessions")
        let sessions = try #require(result["sessions"]?.arrayValue)

        #expect(result.isError != true, "\(result.text)")
        #expect(sessions.count == 1)
        #expect(sessions.first?.objectValue?["id"] == .string(MCPFixture.sessionID))
        #expect(sessions.first?.objectValue?["usage"]?.objectValue?["total"] == .int(1500))
        #expect(result["total"] == .int(1))
        #expect(result.text.contains(MCPFixture.sessionID))
    }

    @Test func sessionHealthWithoutAnIdFindsTheCallerFromTheEnvironmentOrRepository() async throws {
        let fromRepository = try await MCPFixture()
        defer { Task { await fromRepository.close() } }
        let fromEnvironment = try await MCPFixture(extraEnvironment: ["LSM_SESSION_ID": "abc123"])
        defer { Task { await fromEnvironment.close() } }

        let byRepository = try await fromRepository.call("session_health")
        let byEnvironment = try await fromEnvironment.call("session_health")

        #expect(byRepository["identifiedBy"] == "repository")
        #expect(byRepository["id"] == .string(MCPFixture.sessionID))
        #expect(byEnvironment["identifiedBy"] == "environment")
        #expect(byEnvironment["id"] == .string(MCPFixture.sessionID))
        #expect(byEnvironment["health"]?.objectValue?["score"]?.intValue != nil)
    }

    @Test func commentsRoundTripThroughTheTools() async throws {
        let fixture = try await MCPFixture()
        defer { Task { await fixture.close() } }

        let added = try await fixture.call(
            "add_comment", ["path": "src/a.swift", "line": 2, "end_line": 3, "body": "Why two lines?"])
        let thread = try #require(added["id"]?.stringValue)
        // Listed before the reply too: the server keeps folded threads, and a moved ref must fold again.
        let beforeReply = try await fixture.call("list_comments", ["path": "src"])
        let replied = try await fixture.call("reply_comment", ["thread": .string(String(thread.prefix(8))), "body": "Because."])
        let open = try await fixture.call("list_comments", ["path": "src"])
        let resolved = try await fixture.call("resolve_comment", ["thread": .string(thread)])
        let afterResolve = try await fixture.call("list_comments")
        let all = try await fixture.call("list_comments", ["all": true])

        #expect(added.isError != true, "\(added.text)")
        #expect(added["line"] == 2 && added["endLine"] == 3 && added["state"] == "current")
        #expect(beforeReply["threads"]?.arrayValue?.first?.objectValue?["comments"]?.arrayValue?.count == 1)
        #expect(replied["thread"] == .string(thread))
        #expect(open["threads"]?.arrayValue?.first?.objectValue?["comments"]?.arrayValue?.count == 2)
        #expect(resolved["resolved"] == true)
        #expect(afterResolve["threads"]?.arrayValue?.isEmpty == true)
        #expect(all["threads"]?.arrayValue?.first?.objectValue?["resolved"] == true)
    }

    @Test func badInputGivesErrorResultsThatSayWhatToDoAndTheServerCarriesOn() async throws {
        let fixture = try await MCPFixture()
        defer { Task { await fixture.close() } }

        let wrongType = try await fixture.call("list_sessions", ["limit": "ten"])
        let unknownArgument = try await fixture.call("list_sessions", ["colour": "red"])
        let missing = try await fixture.call("get_session")
        let noMatch = try await fixture.call("get_session", ["id": "ffffffff"])
        let outside = try await fixture.call("add_comment", ["path": "../elsewhere.txt", "line": 1, "body": "hi"])
        let badThread = try await fixture.call("resolve_comment", ["thread": "not-hex"])
        await #expect(throws: MCPError.self) { _ = try await fixture.call("no_such_tool") }
        let stillThere = try await fixture.call("repo_status")

        for result in [wrongType, unknownArgument, missing, noMatch, outside, badThread] {
            #expect(result.isError == true, "\(result.text)")
            #expect(result.text.hasPrefix("error: "))
            #expect(result["hint"]?.stringValue?.isEmpty == false, "\(result.text)")
        }
        #expect(wrongType.text.contains("must be an integer"))
        #expect(unknownArgument.text.contains("no argument 'colour'"))
        #expect(noMatch.text.contains("no session matches"))
        #expect(outside.text.contains("outside the repository"))
        #expect(stillThere.isError != true)
        #expect(stillThere["head"]?.objectValue?["branch"] == "main")
    }

    @Test func commitSessionsNamesTheSessionsOfATrailer() async throws {
        let fixture = try await MCPFixture()
        defer { Task { await fixture.close() } }
        try fixture.repo.commit("Second\n\nLSM-Session: claude-code/\(MCPFixture.sessionID)", files: ["b.txt": "b\n"])

        let result = try await fixture.call("commit_sessions")
        let sessions = try #require(result["sessions"]?.arrayValue)

        #expect(result["subject"] == "Second")
        #expect(sessions.first?.objectValue?["id"] == .string(MCPFixture.sessionID))
        #expect(sessions.first?.objectValue?["source"] == "trailer")
        #expect(try await fixture.call("commit_sessions", ["commit": "HEAD..main"]).isError == true)
    }

    @Test func resourcesAndPromptsAnswer() async throws {
        let fixture = try await MCPFixture()
        defer { Task { await fixture.close() } }
        _ = try await fixture.call("add_comment", ["path": "src/a.swift", "line": 1, "body": "Check this"])

        let resources = try await fixture.client.listResources().resources.map(\.uri)
        let templates = try await fixture.client.listResourceTemplates().templates.map(\.uriTemplate)
        let sessions = try await fixture.client.readResource(uri: "lsm://sessions")
        let session = try await fixture.client.readResource(uri: "lsm://session/abc123")
        let comments = try await fixture.client.readResource(uri: "lsm://comments/src%2Fa.swift")
        let prompt = try await fixture.client.getPrompt(name: "review_context", arguments: ["path": "src/a.swift"])
        let health = try await fixture.client.getPrompt(name: "session_health_check")

        #expect(resources.contains("lsm://sessions"))
        #expect(templates == ["lsm://session/{id}", "lsm://comments/{path}"])
        #expect(sessions.first?.text?.contains(MCPFixture.sessionID) == true)
        #expect(session.first?.text?.contains("\"events\"") == true)
        #expect(comments.first?.text?.contains("Check this") == true)
        guard case .text(let text) = prompt.messages.first?.content else {
            Issue.record("review_context has no text")
            return
        }
        #expect(text.contains("Check this"))
        #expect(health.description?.contains(MCPFixture.sessionID) == true)
        await #expect(throws: MCPError.self) { _ = try await fixture.client.readResource(uri: "lsm://nothing") }
        await #expect(throws: MCPError.self) { _ = try await fixture.client.readResource(uri: "lsm://session/ffffffff") }
    }
}
