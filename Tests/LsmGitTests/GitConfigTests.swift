import Foundation
import LsmGit
import LsmTestSupport
import Testing

@Suite struct GitConfigTests {
    @Test func readsRepositoryValuesCaseInsensitively() throws {
        let repo = try TestRepository()
        try repo.git(["config", "lsm.serverPort", "8080"])
        try repo.git(["config", "lsm.hooks.enabled", "yes"])
        try repo.git(["config", "user.name", "Grace"])
        try repo.git(["config", "user.email", "grace@example.com"])

        let config = try Repository.discover(containing: repo.path).config(environment: [:])

        #expect(try config.integer("lsm.serverport") == 8080)
        #expect(try config.bool("lsm.hooks.enabled") == true)
        #expect(try config.string("lsm.missing") == nil)
        #expect(try config.userIdentity()?.name == "Grace")
        #expect(try config.entries(withPrefix: "lsm.").keys.sorted() == ["lsm.hooks.enabled", "lsm.serverport"])
    }

    @Test func rejectsValueOfWrongType() throws {
        let repo = try TestRepository()
        try repo.git(["config", "lsm.hooks.enabled", "perhaps"])
        try repo.git(["config", "lsm.serverPort", "eighty"])

        let config = try Repository.discover(containing: repo.path).config(environment: [:])

        #expect(throws: GitError.self) { try config.bool("lsm.hooks.enabled") }
        #expect(throws: GitError.self) { try config.integer("lsm.serverPort") }
    }

    @Test func commandLineValuesWin() throws {
        let repo = try TestRepository()
        try repo.git(["config", "lsm.color", "never"])
        let environment = [
            "GIT_CONFIG_PARAMETERS": "'lsm.color'='always' 'core.x'='it'\\''s'",
            "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "LSM.Other", "GIT_CONFIG_VALUE_0": "1",
        ]

        let config = try Repository.discover(containing: repo.path).config(environment: environment)

        #expect(try config.string("lsm.color") == "always")
        #expect(try config.string("core.x") == "it's")
        #expect(try config.bool("lsm.other") == true)
    }

    @Test func honoursGlobalConfigFileFromEnvironment() throws {
        let repo = try TestRepository()
        let global = repo.sandbox.child("global.gitconfig")
        try Data("[lsm]\n\tcolor = always\n[user]\n\tname = Global\n\temail = g@example.com\n".utf8).write(to: URL(fileURLWithPath: global))

        let config = try Repository.discover(containing: repo.path).config(environment: ["GIT_CONFIG_GLOBAL": global])

        #expect(try config.string("lsm.color") == "always")
        #expect(try config.userIdentity()?.email == "g@example.com")
    }

    @Test func corruptConfigFileIsAnError() throws {
        let repo = try TestRepository()
        try Data("[core\n\tbroken = \n".utf8).write(to: URL(fileURLWithPath: repo.path + "/.git/config"), options: .atomic)

        #expect(throws: GitError.self) {
            _ = try Repository.discover(containing: repo.path).config(environment: [:])
        }
    }
}
