import Foundation
import LsmCore
import LsmTestSupport
import Testing

/// `hooks install` refuses what it cannot do safely, and then has written nothing at all.
@Suite struct HookInstallRefusalTests {
    /// Installs with every option and expects a refusal whose message contains `expected`, with the
    /// hooks folder and the repository's config unchanged.
    static func expectRefusal(_ hooked: HookedRepository, gitDir: String? = nil, containing expected: String) throws {
        let gitDir = gitDir ?? hooked.path + "/.git"
        let hooks = try FolderSnapshot(gitDir + "/hooks")
        let config = try Data(contentsOf: URL(fileURLWithPath: gitDir + "/config"))

        let error = #expect(throws: LsmError.self) { try hooked.install(.init(trailer: true, agents: true), in: hooked.path) }

        #expect(error?.message.contains(expected) == true, "\(String(describing: error?.message))")
        #expect(error?.hint != nil)
        #expect(try FolderSnapshot(gitDir + "/hooks") == hooks)
        #expect(try Data(contentsOf: URL(fileURLWithPath: gitDir + "/config")) == config)
        #expect(!FileManager.default.fileExists(atPath: hooked.path + "/.claude"))
    }

    @Test func bareRepository() throws {
        let hooked = try HookedRepository(try TestRepository(bare: true))

        try Self.expectRefusal(hooked, gitDir: hooked.path, containing: "bare repository")
    }

    @Test(arguments: ["#!/bin/sh\necho mine\n", "#!/usr/bin/env python3\nprint('mine')\n"])
    func nonExecutableExistingHook(_ script: String) throws {
        let hooked = try HookedRepository()
        try writeScript(hooked.path + "/.git/hooks/post-rewrite", script, mode: 0o644)

        try Self.expectRefusal(hooked, containing: "not executable")
    }

    @Test func existingChainedFile() throws {
        let hooked = try HookedRepository()
        try writeScript(hooked.path + "/.git/hooks/post-rewrite", "#!/usr/bin/env python3\nprint('mine')\n")
        try writeScript(hooked.path + "/.git/hooks/post-rewrite.lsm-chained", "#!/bin/sh\necho older\n")

        try Self.expectRefusal(hooked, containing: "post-rewrite.lsm-chained already exists")
    }

    @Test func hooksPathOfDevNull() throws {
        let hooked = try HookedRepository()
        try hooked.git(["config", "core.hooksPath", "/dev/null"])

        try Self.expectRefusal(hooked, containing: "core.hooksPath is /dev/null")
    }

    /// An agent settings file lsm cannot extend is refused before any hook is written.
    @Test(arguments: [
        (".claude/settings.local.json", Data("{\"hooks\": [1]}".utf8), "\"hooks\" is not an object"),
        (".claude/settings.local.json", Data("not json".utf8), "is not a JSON object"),
        ("codex/config.toml", Data([0x6D, 0x6F, 0x64, 0x65, 0x6C, 0xFF, 0x0A]), "is not UTF-8 text"),
    ])
    func unreadableAgentSettings(_ relative: String, _ contents: Data, _ expected: String) throws {
        let hooked = try HookedRepository()
        let path = relative.hasPrefix("codex/") ? hooked.transcripts.folder.child(relative) : hooked.path + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try contents.write(to: URL(fileURLWithPath: path))
        let hooks = try FolderSnapshot(hooked.path + "/.git/hooks")
        let config = try Data(contentsOf: URL(fileURLWithPath: hooked.path + "/.git/config"))

        let error = #expect(throws: LsmError.self) { try hooked.install(.init(agents: true)) }

        #expect(error?.message.contains(expected) == true, "\(String(describing: error?.message))")
        #expect(try FolderSnapshot(hooked.path + "/.git/hooks") == hooks)
        #expect(try Data(contentsOf: URL(fileURLWithPath: hooked.path + "/.git/config")) == config)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == contents)
    }
}
