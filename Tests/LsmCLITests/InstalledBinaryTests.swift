import Foundation
import LsmTestSupport
import Testing

/// A few runs of the built `lsm` binary through the real `git`, as a user types `git lsm`.
@Suite struct InstalledBinaryTests {
    @Test func gitRunsLsmAsSubcommandFromSubfolder() throws {
        let repo = try TestRepository()
        try repo.commit("Initial", files: ["src/a.txt": "a\n"])
        let environment = try BuiltLsm.onPath(in: repo.sandbox, environment: repo.environment)

        let run = try ProcessRunner.run("git", ["lsm", "status", "--json"], in: repo.path + "/src", environment: environment)

        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\"root\" : \"\(repo.path)\""))
    }

    @Test func honoursGitDirAndWorkTreeGivenToGit() throws {
        let repo = try TestRepository()
        try repo.commit("Initial")
        let elsewhere = try TemporaryDirectory()
        let environment = try BuiltLsm.onPath(in: repo.sandbox, environment: repo.environment)

        let run = try ProcessRunner.run(
            "git", ["--git-dir=\(repo.path)/.git", "--work-tree=\(repo.path)", "lsm", "status", "--json"], in: elsewhere.path,
            environment: environment)

        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\"gitDir\" : \"\(repo.path)/.git\""))
    }

    @Test func outsideRepositoryExitsOneWithOneLine() throws {
        let folder = try TemporaryDirectory()
        let environment = try BuiltLsm.onPath(
            in: folder, environment: HermeticGit.environment(home: folder.path).merging(["GIT_CEILING_DIRECTORIES": folder.path]) { $1 })

        let run = try ProcessRunner.run("git", ["lsm", "status"], in: folder.path, environment: environment)

        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: not a git repository"))
        #expect(run.stdout.isEmpty)
    }

    @Test func helpOpensTheManPage() throws {
        let repo = try TestRepository()
        let manRoot = repo.sandbox.child("man")
        try FileManager.default.createDirectory(atPath: manRoot + "/man1", withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: ManualPageTests.packageRoot.appendingPathComponent("docs/git-lsm.1"), to: URL(fileURLWithPath: manRoot + "/man1/git-lsm.1"))
        var environment = try BuiltLsm.onPath(in: repo.sandbox, environment: repo.environment)
        environment["MANPATH"] = manRoot
        environment["MANPAGER"] = "cat"
        environment["PAGER"] = "cat"
        environment["MANWIDTH"] = "80"
        guard (try? ProcessRunner.run("man", ["--version"], in: repo.path, environment: environment))?.status == 0 else {
            throw TestFailure("man is not installed; make test installs man-db")
        }

        let run = try ProcessRunner.run("git", ["lsm", "--help"], in: repo.path, environment: environment)

        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("git lsm status"))
    }
}
