import Foundation

/// A `sqlite3` process with a database open, for tests that need another program's connection: one
/// that holds a lock, or keeps a WAL from being checkpointed, while lsm reads the file.
public final class SQLiteShell: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()

    /// Opens `path` in a `sqlite3` process that stays running until `close()`.
    public init(_ path: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", path]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        close()
    }

    /// Runs `sql` and waits until the shell has finished it.
    public func run(_ sql: String) throws {
        let marker = "done-\(UUID().uuidString)"
        input.fileHandleForWriting.write(Data((sql + "\n.print \(marker)\n").utf8))
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains(marker) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw TestFailure("sqlite3 ended before finishing: \(sql)") }
            seen.append(chunk)
        }
    }

    /// Ends the process (an open transaction is rolled back).
    public func close() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// Runs `sql` on `path` in a `sqlite3` process of its own and waits for it to end.
    public static func execute(_ path: String, _ sql: String) throws {
        let result = try ProcessRunner.run(
            "sqlite3", [path], in: NSTemporaryDirectory(), environment: ProcessInfo.processInfo.environment, input: sql)
        guard result.status == 0 else { throw TestFailure("sqlite3 failed: \(result.stderr)") }
    }

    /// `text` as an SQL string literal.
    public static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
