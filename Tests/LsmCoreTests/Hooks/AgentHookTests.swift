import Foundation
import LsmCore
import LsmGit
import LsmTestSupport
import Testing

/// The optional parts of `hooks install`: `LSM-Session` trailers and Claude Code's hooks.
@Suite struct AgentHookTests {
    @Test func trailerNamesTheSessionButNotOnMerges() throws {
        let hooked = try HookedRepository()
        try hooked.commit("Initial", files: ["README.md": "hello\n"], at: .minutesAgo(50))
        try hooked.install(.init(trailer: true))
        try hooked.claude("s1", [.init(at: .minutesAgo(3), output: 9, edits: ["a.txt"])])
        try hooked.git(["checkout", "-q", "-b", "topic"])
        try hooked.claude("s2", [.init(at: .minutesAgo(2), output: 1)], branch: "topic")
        try hooked.commit("Add a", files: ["a.txt": "a\n"])
        try hooked.git(["checkout", "-q", "main"])
        try hooked.commit("Add b", files: ["b.txt": "b\n"])

        try hooked.git(["merge", "-q", "--no-ff", "-m", "Merge topic", "topic"])

        let trailers = try ["HEAD", "HEAD^1", "HEAD^2"].map { revision in
            try hooked.git(["log", "-1", "--format=%s|%(trailers:key=LSM-Session,valueonly,separator=%x2C)", revision])
        }
        #expect(trailers == ["Merge topic|\n", "Add b|claude-code/s1\n", "Add a|claude-code/s2\n"])
        #expect(try hooked.hooksLog() == "")
    }

    @Test func agentHooksJoinAndLeaveExistingSettings() throws {
        let hooked = try HookedRepository()
        let settingsPath = hooked.path + "/.claude/settings.local.json"
        let original = """
            {
              "permissions": { "allow": ["Bash(npm test)"] },
              "hooks": {
                "PostToolUse": [{ "matcher": "Write", "hooks": [{ "type": "command", "command": "prettier --write" }] }],
                "Notification": [{ "hooks": [{ "type": "command", "command": "notify-send claude" }] }]
              }
            }
            """
        try writeScript(settingsPath, original, mode: 0o644)

        let installed = try hooked.install(.init(agents: true))

        #expect(installed.agentHooks == .installed)
        let settings = try Self.json(settingsPath)
        let hooks = try #require(settings["hooks"] as? [String: Any])
        for event in ["SessionStart", "UserPromptSubmit", "PostToolUse", "Stop", "SessionEnd"] {
            let commands = Self.commands(hooks[event])
            #expect(commands.filter { $0 == "git lsm agent-event claude" }.count == 1, "\(event): \(commands)")
        }
        #expect(Self.commands(hooks["PostToolUse"]).contains("prettier --write"))
        #expect(Self.commands(hooks["Notification"]) == ["notify-send claude"])
        #expect((settings["permissions"] as? [String: Any])?["allow"] as? [String] == ["Bash(npm test)"])
        try hooked.install(.init(agents: true))
        #expect(NSDictionary(dictionary: try Self.json(settingsPath)) == NSDictionary(dictionary: settings))

        let uninstalled = try hooked.uninstall()

        #expect(uninstalled.agentHooks == .absent)
        let restored = try Self.json(settingsPath)
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(original.utf8)) as? [String: Any])
        #expect(NSDictionary(dictionary: restored) == NSDictionary(dictionary: expected))
    }

    @Test func agentHooksFileLsmCreatedIsRemoved() throws {
        let hooked = try HookedRepository()

        try hooked.install(.init(agents: true))
        #expect(FileManager.default.fileExists(atPath: hooked.path + "/.claude/settings.local.json"))
        try hooked.uninstall()

        #expect(!FileManager.default.fileExists(atPath: hooked.path + "/.claude/settings.local.json"))
    }

    @Test func codexNotifyIsAddedWhereThereIsNoneAndGoesWithTheLastRepository() throws {
        // Given Codex's config with settings of its own, and two repositories
        let hooked = try HookedRepository()
        let codexHome = hooked.transcripts.codexRoot
        try FileManager.default.createDirectory(atPath: codexHome, withIntermediateDirectories: true)
        let config = codexHome + "/config.toml"
        let original = "# mine\nmodel = \"o3\"\n\n[mcp_servers.docs]\ncommand = \"docs-mcp\"\n"
        try writeScript(config, original, mode: 0o600)
        let other = try TestRepository()
        let otherInstaller = HookInstaller(workspace: Workspace(directory: other.path, environment: hooked.environment))
        let otherRepository = try Repository.discover(containing: other.path)

        // When both install the agent hooks
        let installed = try hooked.install(.init(agents: true))
        _ = try otherInstaller.install(in: otherRepository, options: .init(agents: true))

        // Then lsm's notify is the file's first line, once, and the rest is untouched
        #expect(installed.codexNotify == .installed)
        let notify = "notify = [\"git\", \"lsm\", \"agent-event\", \"codex\"]\n"
        #expect(try String(contentsOfFile: config, encoding: .utf8) == notify + original)
        #expect((try FileManager.default.attributesOfItem(atPath: config)[.posixPermissions] as? Int) == 0o600)
        // And it stays while another repository still has lsm's agent hooks …
        #expect(try hooked.uninstall().codexNotify == .installed)
        // … and goes with the last one, leaving the file byte for byte
        #expect(try otherInstaller.uninstall(from: otherRepository).codexNotify == .absent)
        #expect(try String(contentsOfFile: config, encoding: .utf8) == original)
    }

    @Test func codexNotifyOfAnotherProgramIsLeftAloneAndNoCodexMeansNoFile() throws {
        let hooked = try HookedRepository()

        // Without a Codex home nothing is made
        #expect(try hooked.install(.init(agents: true)).codexNotify == .noCodex)
        #expect(!FileManager.default.fileExists(atPath: hooked.transcripts.codexRoot))

        // A notify of another program stays as it is, and the status says how to chain
        let config = hooked.transcripts.codexRoot + "/config.toml"
        let original = "notify = [\"notify-send\", \"Codex\"]\n[tui]\nnotifications = true\n"
        try writeScript(config, original, mode: 0o644)
        let installed = try hooked.install(.init(agents: true))
        #expect(installed.codexNotify == .otherProgram)
        #expect(installed.notices.contains { $0.contains("git lsm agent-event codex") })
        #expect(try hooked.uninstall().codexNotify == .otherProgram)
        #expect(try String(contentsOfFile: config, encoding: .utf8) == original)
    }

    @Test func agentEventNamesTheSessionBeforeItsTranscriptIsIndexed() throws {
        let hooked = try HookedRepository()
        try hooked.commit("Initial", files: ["README.md": "hello\n"], at: .minutesAgo(50))
        try hooked.install(.init(agents: true))
        let event = """
            {"session_id":"live-1","transcript_path":"\(hooked.transcripts.claudeRoot)/projects/p/live-1.jsonl","cwd":"\(hooked.path)",\
            "permission_mode":"default","hook_event_name":"PostToolUse","tool_name":"Write",\
            "tool_input":{"file_path":"src/new.swift","content":"x"},"tool_response":{"success":true}}
            """

        let run = try hooked.run(["lsm", "agent-event", "claude"], input: event)
        let commit = try hooked.commit("Add new", files: ["src/new.swift": "x\n", "other.txt": "o\n"])

        #expect(run.status == 0)
        #expect(run.stdout == "" && run.stderr == "")
        let note = try hooked.requireNote(commit)
        #expect(note.sessions.map(\.reference) == ["claude-code/live-1"])
        #expect(note.sessions.first?.filesTouched == ["src/new.swift"])
        #expect(note.sessions.first?.usage == nil)
        #expect(try hooked.hooksLog() == "")
    }

    @Test func agentEventThatIsNotJSONIsLoggedQuietly() throws {
        let hooked = try HookedRepository()

        let run = try hooked.run(["lsm", "agent-event", "claude"], input: "not json")

        #expect(run.status == 0)
        #expect(run.stdout == "" && run.stderr == "")
        #expect(try hooked.hooksLog().contains("agent-event claude: the claude hook event is not a JSON object"))
    }

    static func json(_ path: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        guard let dictionary = object as? [String: Any] else { throw TestFailure("\(path) is not a JSON object") }
        return dictionary
    }

    /// The commands of one event's hook groups.
    static func commands(_ groups: Any?) -> [String] {
        ((groups as? [[String: Any]]) ?? []).flatMap { group in
            ((group["hooks"] as? [[String: Any]]) ?? []).compactMap { $0["command"] as? String }
        }
    }
}
