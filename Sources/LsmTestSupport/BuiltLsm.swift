import Foundation

/// The `lsm` executable `swift build` made, for tests that run it as a user, or git, would.
public enum BuiltLsm {
    /// The `lsm` executable next to the test bundle (`swift build` puts both in one folder), or the one
    /// named by `LSM_TEST_BINARY`.
    public static func path() throws -> String {
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

    /// `environment` with a PATH whose first folder (`bin` in `sandbox`) holds `git-lsm`, linked to the
    /// built binary, so `git lsm` and lsm's hook scripts find it.
    public static func onPath(in sandbox: TemporaryDirectory, environment: [String: String]) throws -> [String: String] {
        let bin = sandbox.child("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try? FileManager.default.createSymbolicLink(atPath: bin + "/git-lsm", withDestinationPath: try path())
        var environment = environment
        environment["PATH"] = bin + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        return environment
    }
}
