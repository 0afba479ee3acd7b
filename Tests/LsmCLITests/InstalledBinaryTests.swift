import Foundation
import LsmTestSupport
import Testing

/// A few runs of the built `lsm` binary through the real `git`, as a user types `git lsm`.
@Suite struct InstalledBinaryTests {
    /// The `lsm` executable next to this test bundle (`swift build` puts both in one folder), or the one
    /// named by `LSM_TEST_BINARY`.
    static func binary() throws -> String {
        if let path = ProcessInfo.processInfo.environment["LSM_TEST_BINARY"] { return path }
        let folder = Bundle.main.bundleURL.deletingLastPathComponent()
        var candidates = [folder.appendingPathComponent("lsm").path]
        if let arg0 = CommandLine.arguments.first {
            candidates.append(URL(fileURLWithPath: arg0).deletingLastPathComponent().appendingPathComponent("lsm").path)
        }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TestFailure("no lsm binary at \(candidates); run `swift build` before `swift test` (make test does)")
        }
        return found
    }

    /// A PATH whose first folder holds `git-lsm`, linked to the built binary.
    static func pathWithGitLsm(in sandbox: TemporaryDirectory, environment: [String: String]) throws -> [String: String] {
        let bin = sandbox.child("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try? FileManager.default.createSymbolicLink(atPath: bin + "/git-lsm", withDestinationPath: try binary())
        var environment = environment
        environment["PATH"] = bin + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        return environment
    }

    @Test func gitRunsLsmAsSubcommandFromSubfolder() throws {
        let repo = try TestRepository()
        try repo.commit("Initial", files: ["src/a.txt": "a\n"])
        let environment = try Self.pathWithGitLsm(in: repo.sandbox, environment: repo.environment)

        let run = try ProcessRunner.run("git", ["lsm", "status", "--json"], in: repo.path + "/src", environment: environment)

        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\"root\" : \"\(repo.path)\""))
    }

    @Test func honoursGitDirAndWorkTreeGivenToGit() throws {
        let repo = try TestRepository()
        try repo.commit("Initial")
        let elsewhere = try TemporaryDirectory()
        let environment = try Self.pathWithGitLsm(in: repo.sandbox, environment: repo.environment)

        let run = try ProcessRunner.run(
            "git", ["--git-dir=\(repo.path)/.git", "--work-tree=\(repo.path)", "lsm", "status", "--json"], in: elsewhere.path,
            environment: environment)

        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\"gitDir\" : \"\(repo.path)/.git\""))
    }

    @Test func outsideRepositoryExitsOneWithOneLine() throws {
        let folder = try TemporaryDirectory()
        let environment = try Self.pathWithGitLsm(
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
        var environment = try Self.pathWithGitLsm(in: repo.sandbox, environment: repo.environment)
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
