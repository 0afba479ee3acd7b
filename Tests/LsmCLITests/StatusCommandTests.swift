import Foundation
import LsmTestSupport
import Testing

@Suite struct StatusCommandTests {
    @Test func printsRepositoryBranchAndHead() async throws {
        let repo = try TestRepository()
        let tip = try repo.commit("Teach the parser about tabs", files: ["a.txt": "a\n"])

        let run = await CommandRun.run(["status"], in: repo)

        #expect(run.status == 0)
        #expect(run.stderr == "")
        #expect(run.stdout.contains("repository  \(repo.path)\n"))
        #expect(run.stdout.contains("branch      main\n"))
        #expect(run.stdout.contains("head        \(tip.prefix(7)) Teach the parser about tabs\n"))
        #expect(!run.stdout.contains("\u{1B}["))
    }

    @Test func jsonHasStableKeys() async throws {
        let repo = try TestRepository()
        let tip = try repo.commit("Initial")

        let run = await CommandRun.run(["status", "--json"], in: repo)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let head = try #require(object["head"] as? [String: Any])

        #expect(run.status == 0)
        #expect(object["root"] as? String == repo.path)
        #expect(object["bare"] as? Bool == false)
        #expect(head["state"] as? String == "branch")
        #expect(head["commit"] as? String == tip)
        #expect(
            Set(object.keys) == ["root", "gitDir", "commonDir", "bare", "linkedWorktree", "head", "index", "hooks", "comments", "sessions"])
        let hooks = try #require(object["hooks"] as? [String: Any])
        #expect(hooks["recording"] as? Bool == false)
        #expect(hooks["trailer"] as? Bool == false)
        #expect(hooks["agentHooks"] as? String == "absent")
        #expect(object["comments"] as? [String: Int] == ["open": 0, "resolved": 0])
    }

    @Test func rootJsonFlagAndDirectoryOptionWorkBeforeCommandName() async throws {
        let repo = try TestRepository()
        try repo.commit("Initial")

        let run = await CommandRun.run(["-C", repo.path, "--json", "status"], in: repo.sandbox.path, environment: repo.environment)

        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("{"))
    }

    @Test func describesUnbornAndDetachedHead() async throws {
        let repo = try TestRepository()
        let unborn = await CommandRun.run(["status"], in: repo)
        #expect(unborn.stdout.contains("branch      main (no commits yet)\n"))
        #expect(unborn.stdout.contains("head        none\n"))

        let first = try repo.commit("First")
        try repo.commit("Second")
        try repo.git(["checkout", "-q", "--detach", first])
        let detached = await CommandRun.run(["status"], in: repo)
        #expect(detached.stdout.contains("branch      detached HEAD\n"))
    }

    @Test func outsideRepositorySaysSoInOneLineAndExitsOne() async throws {
        let folder = try TemporaryDirectory()

        let run = await CommandRun.run(["status"], in: folder.path, environment: ["LSM_HOME": folder.child("home")])

        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(run.stderr.hasPrefix("error: not a git repository (or any parent up to /): \(folder.path)\n"))
        #expect(run.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }.count == 1)
    }

    @Test func directoryOptionToMissingFolderIsUserError() async throws {
        let repo = try TestRepository()

        let run = await CommandRun.run(["-C", "does/not/exist", "status"], in: repo)

        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: not a git repository"))
    }

    @Test func unreadableIndexIsOneClearErrorAndLeftUntouched() async throws {
        let repo = try TestRepository()
        try repo.commit("Initial")
        let home = try #require(repo.environment["LSM_HOME"])
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let garbage = Data(repeating: 0xAB, count: 8192)
        try garbage.write(to: URL(fileURLWithPath: home + "/index.sqlite"))

        let run = await CommandRun.run(["status"], in: repo)

        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: cannot open the index database \(home)/index.sqlite\n"))
        #expect(run.stderr.contains("hint: "))
        #expect(try Data(contentsOf: URL(fileURLWithPath: home + "/index.sqlite")) == garbage)
    }

    @Test func badColorConfigIsOneClearError() async throws {
        let repo = try TestRepository()
        try repo.git(["config", "lsm.color", "purple"])

        let run = await CommandRun.run(["status"], in: repo)

        #expect(run.status == 1)
        #expect(run.stderr == "error: bad value 'purple' for lsm.color\nhint: use auto, always or never: git config lsm.color auto\n")
    }

    @Test func corruptConfigFileIsOneClearError() async throws {
        let repo = try TestRepository()
        try Data("[core\n".utf8).write(to: URL(fileURLWithPath: repo.path + "/.git/config"))

        let run = await CommandRun.run(["status"], in: repo)

        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: cannot read git config\ncaused by: "))
        #expect(run.stdout == "")
    }

    @Test func colorFollowsOptionConfigAndNoColor() async throws {
        let repo = try TestRepository()
        try repo.commit("Initial")

        let forced = await CommandRun.run(["status", "--color", "always"], in: repo)
        #expect(forced.stdout.contains("\u{1B}["))

        let terminal = await CommandRun.run(["status"], in: repo, terminal: true)
        #expect(terminal.stdout.contains("\u{1B}["))

        var noColor = repo.environment
        noColor["NO_COLOR"] = "1"
        let suppressed = await CommandRun.run(["status"], in: repo.path, environment: noColor, terminal: true)
        #expect(!suppressed.stdout.contains("\u{1B}["))

        try repo.git(["config", "lsm.color", "never"])
        let configured = await CommandRun.run(["status"], in: repo, terminal: true)
        #expect(!configured.stdout.contains("\u{1B}["))
    }

    @Test func usageErrorsUseArgumentParsersCode() async throws {
        let repo = try TestRepository()

        let unknown = await CommandRun.run(["status", "--frobnicate"], in: repo)
        let badColor = await CommandRun.run(["status", "--color", "sometimes"], in: repo)

        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("Unknown option '--frobnicate'"))
        #expect(badColor.status == 64)
    }

    @Test func versionPrintsVersion() async throws {
        let repo = try TestRepository()

        let run = await CommandRun.run(["--version"], in: repo)

        #expect(run.status == 0)
        #expect(run.stdout == "0.1.0\n")
    }
}
