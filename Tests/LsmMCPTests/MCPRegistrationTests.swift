import Foundation
import LsmCore
import LsmTestSupport
import Testing

@testable import LsmMCP

/// `git lsm mcp install` / `uninstall`: lsm's entry goes in and out, everything else stays.
@Suite struct MCPRegistrationTests {
    struct Fixture {
        let repo: TestRepository
        let registration: MCPRegistration
        var home: String { repo.sandbox.child("home") }

        init() throws {
            repo = try TestRepository()
            var environment = repo.environment
            environment["HOME"] = repo.sandbox.child("home")
            environment["CODEX_HOME"] = repo.sandbox.child("home/.codex")
            environment["CLAUDE_CONFIG_DIR"] = nil
            registration = MCPRegistration(workspace: Workspace(directory: repo.path, environment: environment))
        }

        func read(_ path: String) -> String? {
            FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
        }

        func write(_ path: String, _ text: String) throws {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        }
    }

    @Test func claudeProjectEntryIsAddedBesideOthersAndRemovedAlone() throws {
        let fixture = try Fixture()
        let path = fixture.repo.path + "/.mcp.json"
        try fixture.write(path, #"{"mcpServers": {"other": {"command": "other-server"}}, "note": 1}"#)

        let added = try fixture.registration.install(.claude, scope: .project)
        let again = try fixture.registration.install(.claude, scope: .project)
        let installed = try JSONSerialization.jsonObject(with: Data((fixture.read(path) ?? "").utf8)) as? [String: Any]
        let removed = try fixture.registration.uninstall(.claude, scope: .project)
        let uninstalled = try JSONSerialization.jsonObject(with: Data((fixture.read(path) ?? "").utf8)) as? [String: Any]

        #expect(added.action == .added && again.action == .unchanged && removed.action == .removed)
        let servers = installed?["mcpServers"] as? [String: Any]
        let lsm = servers?["lsm"] as? [String: Any]
        #expect(lsm?["command"] as? String == "git")
        #expect(lsm?["args"] as? [String] == ["lsm", "mcp"])
        #expect(lsm?["type"] as? String == "stdio")
        #expect(servers?["other"] != nil)
        #expect((uninstalled?["mcpServers"] as? [String: Any])?.keys.sorted() == ["other"])
        #expect(uninstalled?["note"] as? Int == 1)
    }

    @Test func aFileLsmCreatedGoesAwayOnUninstall() throws {
        let fixture = try Fixture()

        let added = try fixture.registration.install(.cursor, scope: .project)
        let created = fixture.read(added.path)
        _ = try fixture.registration.uninstall(.cursor, scope: .project)

        #expect(added.path == fixture.repo.path + "/.cursor/mcp.json")
        #expect(created?.contains("\"lsm\"") == true)
        #expect(created?.contains("\"type\"") == false)
        #expect(fixture.read(added.path) == nil)
    }

    @Test func anLsmEntryThatIsNotOursIsNeverTouched() throws {
        let fixture = try Fixture()
        let path = fixture.home + "/.claude.json"
        let original = #"{"mcpServers": {"lsm": {"command": "something-else"}}}"#
        try fixture.write(path, original)

        #expect(throws: LsmError.self) { try fixture.registration.install(.claude, scope: .user) }
        #expect(throws: LsmError.self) { try fixture.registration.uninstall(.claude, scope: .user) }
        #expect(fixture.read(path) == original)
    }

    @Test func codexTableIsAppendedAndRemovedByteForByte() throws {
        let fixture = try Fixture()
        let path = fixture.home + "/.codex/config.toml"
        let original = """
            # my settings
            model = "gpt-5-codex"

            [mcp_servers.other]
            command = "other"   # keep this comment
            args = ["a"]

            [profiles.fast]
            model = "gpt-5-mini"
            """
        try fixture.write(path, original)

        let added = try fixture.registration.install(.codex, scope: .user)
        let installed = fixture.read(path) ?? ""
        let again = try fixture.registration.install(.codex, scope: .user)
        let removed = try fixture.registration.uninstall(.codex, scope: .user)

        #expect(added.action == .added && again.action == .unchanged && removed.action == .removed)
        #expect(installed.hasPrefix(original + "\n\n[mcp_servers.lsm]\ncommand = \"git\"\nargs = [\"lsm\", \"mcp\"]\n"))
        #expect(fixture.read(path) == original + "\n")
    }

    @Test func codexTableInTheMiddleGoesWithItsSubtablesAndNothingElse() throws {
        let fixture = try Fixture()
        let path = fixture.repo.path + "/.codex/config.toml"
        let before = "model = \"o3\"\n\n"
        let after = "\n[mcp_servers.other]\ncommand = \"other\"\n"
        try fixture.write(
            path, before + "[mcp_servers.lsm]\ncommand = \"git\"\nargs = [ \"lsm\", \"mcp\" ]\n\n[mcp_servers.lsm.env]\nA = \"1\"\n" + after
        )

        let removed = try fixture.registration.uninstall(.codex, scope: .project)

        #expect(removed.action == .removed)
        #expect(fixture.read(path) == "model = \"o3\"\n" + after)
    }

    @Test func codexRefusesAForeignLsmServer() throws {
        let fixture = try Fixture()
        let path = fixture.home + "/.codex/config.toml"
        let original = "[mcp_servers.lsm]\ncommand = \"npx\"\nargs = [\"lsm-server\"]\n"
        try fixture.write(path, original)

        #expect(throws: LsmError.self) { try fixture.registration.install(.codex, scope: .user) }
        #expect(throws: LsmError.self) { try fixture.registration.uninstall(.codex, scope: .user) }
        #expect(fixture.read(path) == original)
    }
}
