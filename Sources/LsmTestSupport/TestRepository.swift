import Foundation

/// A git repository made with the real `git` CLI in a temporary directory, hermetic (see
/// `HermeticGit`), for tests of anything that reads git.
public final class TestRepository: @unchecked Sendable {
    /// The folder holding the repository (and anything else the test makes beside it).
    public let sandbox: TemporaryDirectory
    /// The work tree (or, for a bare repository, the repository folder).
    public let path: String
    /// The environment `git` runs with.
    public let environment: [String: String]
    private var commitCount = 0
    private let lock = NSLock()

    /// Creates a repository with `git init` (`--bare` when `bare`) on branch `main`.
    public convenience init(bare: Bool = false) throws {
        let sandbox = try TemporaryDirectory("lsm-repo")
        try self.init(sandbox: sandbox, path: sandbox.child(bare ? "repo.git" : "repo"))
        try git(["init", "-q", "-b", "main"] + (bare ? ["--bare"] : []) + [path], in: sandbox.path)
    }

    /// Wraps an existing folder (for example a clone) in `sandbox`.
    public init(sandbox: TemporaryDirectory, path: String) throws {
        HermeticGit.isolateProcess()
        self.sandbox = sandbox
        self.path = path
        self.environment = HermeticGit.environment(home: sandbox.path)
    }

    /// Runs `git` with `arguments` in the work tree (or `directory`) and returns its standard output;
    /// throws when git fails.
    @discardableResult
    public func git(_ arguments: [String], in directory: String? = nil, environment extra: [String: String] = [:]) throws -> String {
        let date = nextDate()
        var environment = self.environment.merging(extra) { _, new in new }
        environment["GIT_AUTHOR_DATE"] = environment["GIT_AUTHOR_DATE"] ?? date
        environment["GIT_COMMITTER_DATE"] = environment["GIT_COMMITTER_DATE"] ?? date
        let result = try ProcessRunner.run("git", arguments, in: directory ?? path, environment: environment)
        guard result.status == 0 else {
            throw TestFailure("git \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.stderr)")
        }
        return result.stdout
    }

    /// Writes `contents` to `relativePath` in the work tree, creating folders.
    public func write(_ relativePath: String, _ contents: String) throws {
        let url = URL(fileURLWithPath: path).appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
    }

    /// Writes the files, stages everything and commits; returns the new commit's id.
    @discardableResult
    public func commit(_ message: String, files: [String: String] = [:]) throws -> String {
        for (file, contents) in files.sorted(by: { $0.key < $1.key }) { try write(file, contents) }
        try git(["add", "-A"])
        try git(["commit", "-q", "--allow-empty", "-m", message])
        return try git(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The full id `revision` resolves to.
    public func revParse(_ revision: String) throws -> String {
        try git(["rev-parse", revision]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func nextDate() -> String {
        lock.lock()
        defer { lock.unlock() }
        commitCount += 1
        return "\(Int(HermeticGit.baseDate.timeIntervalSince1970) + commitCount * 60) +0000"
    }
}

/// A failed expectation inside test support, with a message saying what happened.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
