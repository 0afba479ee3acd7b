import Foundation
import LsmTestSupport

/// A real `git lsm serve` process on a free loopback port, started the way a user starts it, for
/// tests that kill it. Its output goes to `<sandbox>/serve-<pid>.log` (the server logs to standard
/// output, which nobody else drains).
final class ServeProcess: @unchecked Sendable {
    let process: Process
    let port: Int
    let log: String

    var pid: Int32 { process.processIdentifier }
    var url: String { "http://127.0.0.1:\(port)" }

    init(in repo: TestRepository, arguments: [String] = [], environment extra: [String: String] = [:]) async throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: try BuiltLsm.path())
        process.arguments = ["serve", "--port", "0"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: repo.path)
        process.environment = repo.environment.merging(extra) { _, new in new }
        log = repo.sandbox.child("serve-\(UUID().uuidString.prefix(8)).log")
        FileManager.default.createFile(atPath: log, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The server says "serving http://127.0.0.1:<port> (pid N)" once clients can connect.
        let deadline = Date().addingTimeInterval(60)
        while true {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"serving http://127\.0\.0\.1:(\d+)"#, options: .regularExpression),
                let port = Int(text[range].split(separator: ":").last ?? "")
            {
                self.port = port
                break
            }
            guard process.isRunning, Date() < deadline else {
                if process.isRunning { process.terminate() }
                throw TestFailure("git lsm serve did not start: \(text.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// `kill -9`, then waits until the process is gone.
    func killNine() {
        guard process.isRunning else { return }
        kill(pid, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, then waits.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit { killNine() }
}
