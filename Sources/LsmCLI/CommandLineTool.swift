import ArgumentParser
import Foundation
import LsmCore

/// Runs `lsm` with arguments and reports failures the way STYLE.md asks: `error:`, `caused by:` and
/// `hint:` lines on standard error, exit 1 for user errors, 2 for internal ones, and
/// ArgumentParser's own codes for usage errors, help and `--version`.
public enum CommandLineTool {
    /// Exit status for a user error.
    public static let userErrorStatus: Int32 = 1
    /// Exit status for an internal error.
    public static let internalErrorStatus: Int32 = 2

    /// Parses `arguments` (without the program name), runs the command in `context`, and returns the
    /// exit status.
    public static func run(_ arguments: [String], context: CommandContext = .process) async -> Int32 {
        await CommandContext.$current.withValue(context) {
            do {
                var command = try Lsm.parseAsRoot(arguments)
                if var asyncCommand = command as? any AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    try command.run()
                }
                return 0
            } catch {
                return report(error, to: context.console)
            }
        }
    }

    static func report(_ error: any Error, to console: Console) -> Int32 {
        guard isArgumentParserError(error) else {
            // LsmError as thrown, or a lower layer's error that escaped a use case untranslated.
            let failure = LsmError.wrapping(error)
            console.errorLine("error: \(failure.message)")
            if let cause = failure.cause { console.errorLine("caused by: \(cause)") }
            if let hint = failure.hint { console.errorLine("hint: \(hint)") }
            return failure.kind == .user ? userErrorStatus : internalErrorStatus
        }
        // Usage errors, --help and --version, with ArgumentParser's own messages and codes.
        let code = Lsm.exitCode(for: error)
        let message = Lsm.fullMessage(for: error)
        if code == .success {
            if !message.isEmpty { console.line(message) }
        } else {
            console.errorLine(message)
        }
        return code.rawValue
    }

    private static func isArgumentParserError(_ error: any Error) -> Bool {
        error is CleanExit || error is ExitCode || error is ValidationError
            || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }
}
