import Foundation
import LsmCLI
import LsmCore
import LsmTestSupport

/// What one in-process run of `git lsm` printed and returned.
struct CommandRun {
    let status: Int32
    let stdout: String
    let stderr: String

    /// Runs lsm in-process with `arguments` in `directory`, as a user at a terminal (or not) would.
    static func run(
        _ arguments: [String], in directory: String, environment: [String: String], terminal: Bool = false, input: String = ""
    ) async -> CommandRun {
        let out = Buffer()
        let err = Buffer()
        let console = Console(outputIsTerminal: terminal, errorIsTerminal: terminal, writeOut: out.append, writeError: err.append)
        let stdin = Data(input.utf8)
        let context = CommandContext(
            workspace: Workspace(directory: directory, environment: environment), console: console, readInput: { stdin })
        let status = await CommandLineTool.run(arguments, context: context)
        return CommandRun(status: status, stdout: out.text, stderr: err.text)
    }

    /// Runs lsm in-process in a test repository.
    static func run(_ arguments: [String], in repo: TestRepository, terminal: Bool = false) async -> CommandRun {
        await run(arguments, in: repo.path, environment: repo.environment, terminal: terminal)
    }
}

private final class Buffer: @unchecked Sendable {
    private var parts: [String] = []
    private let lock = NSLock()

    func append(_ text: String) {
        lock.lock()
        parts.append(text)
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return parts.joined()
    }
}
