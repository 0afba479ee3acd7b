import Foundation
import LsmTestSupport
import Testing

/// `git lsm hooks install|status|uninstall` as a user runs them.
@Suite struct HooksCommandTests {
    static func json(_ run: CommandRun) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any] else {
            throw TestFailure("not a JSON object: \(run.stdout)")
        }
        return object
    }

    static func states(_ report: [String: Any]) -> [String: String] {
        var states: [String: String] = [:]
        for hook in (report["hooks"] as? [[String: Any]]) ?? [] {
            if let name = hook["hook"] as? String { states[name] = hook["state"] as? String }
        }
        return states
    }

    @Test func statusJsonFollowsInstallAndUninstall() async throws {
        let repo = try TestRepository()

        let before = await CommandRun.run(["hooks", "status", "--json"], in: repo)
        let install = await CommandRun.run(["hooks", "install", "--trailer", "--json"], in: repo)
        let installed = await CommandRun.run(["hooks", "status", "--json"], in: repo)
        let uninstall = await CommandRun.run(["hooks", "uninstall"], in: repo)
        let after = await CommandRun.run(["hooks", "status", "--json"], in: repo)

        #expect([before, install, installed, uninstall, after].allSatisfy { $0.status == 0 })
        #expect(try Self.states(Self.json(before)) == ["post-commit": "absent", "post-rewrite": "absent", "prepare-commit-msg": "absent"])
        let report = try Self.json(installed)
        #expect(Self.states(report) == ["post-commit": "installed", "post-rewrite": "installed", "prepare-commit-msg": "installed"])
        #expect(report["hooksDirectory"] as? String == repo.path + "/.git/hooks")
        #expect(report["rewriteRef"] as? String == "set-by-lsm")
        #expect(report["agentHooks"] as? String == "absent")
        #expect(Set(report.keys) == ["hooksDirectory", "hooks", "rewriteRef", "agentHooks", "codexNotify", "notices"])
        #expect(try Self.json(install)["rewriteRef"] as? String == "set-by-lsm")
        #expect(uninstall.stdout.contains("post-commit         not installed"))
        #expect(try Self.states(Self.json(after)) == ["post-commit": "absent", "post-rewrite": "absent", "prepare-commit-msg": "absent"])
        #expect(try Self.json(after)["rewriteRef"] as? String == "unset")
    }

    @Test func installInBareRepositoryRefusesAndWritesNothing() async throws {
        let repo = try TestRepository(bare: true)
        let hooks = try FileManager.default.contentsOfDirectory(atPath: repo.path + "/hooks").sorted()
        let config = try String(contentsOfFile: repo.path + "/config", encoding: .utf8)

        let run = await CommandRun.run(["hooks", "install"], in: repo)

        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(run.stderr.hasPrefix("error: a bare repository has no work tree to commit in\nhint: "))
        #expect(try FileManager.default.contentsOfDirectory(atPath: repo.path + "/hooks").sorted() == hooks)
        #expect(try String(contentsOfFile: repo.path + "/config", encoding: .utf8) == config)
    }

    @Test func installBesideNonExecutableHookRefuses() async throws {
        let repo = try TestRepository()
        let hook = repo.path + "/.git/hooks/post-commit"
        try Data("#!/bin/sh\necho mine\n".utf8).write(to: URL(fileURLWithPath: hook))

        let run = await CommandRun.run(["hooks", "install"], in: repo)

        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: \(hook) is not executable, so git skips it\nhint: make it executable"))
        #expect(try String(contentsOfFile: hook, encoding: .utf8) == "#!/bin/sh\necho mine\n")
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/.git/hooks/post-rewrite"))
    }

    @Test func hookCommandPrintsNothingAndSucceedsWhateverHappens() async throws {
        let repo = try TestRepository()

        // LSM_HOOK_SYNC keeps the command from moving this test process into a session of its own.
        let run = await CommandRun.run(
            ["hook", "post-commit", "not-a-commit"], in: repo.path, environment: repo.environment.merging(["LSM_HOOK_SYNC": "1"]) { $1 })

        #expect(run.status == 0)
        #expect(run.stdout == "" && run.stderr == "")
        let log = try String(contentsOfFile: repo.path + "/.git/lsm/hooks.log", encoding: .utf8)
        #expect(log.contains("post-commit: post-commit: expected the new commit's id"))
    }
}
