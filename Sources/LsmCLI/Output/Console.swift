import Foundation

/// Where a command writes: standard output and standard error, injectable so tests read exactly what
/// a user would see.
public struct Console: Sendable {
    public let writeOut: @Sendable (String) -> Void
    public let writeError: @Sendable (String) -> Void
    /// Whether standard output is a terminal (decides colour in `auto` mode).
    public let outputIsTerminal: Bool
    /// Whether standard error is a terminal (decides progress bars).
    public let errorIsTerminal: Bool

    public init(
        outputIsTerminal: Bool, errorIsTerminal: Bool,
        writeOut: @escaping @Sendable (String) -> Void, writeError: @escaping @Sendable (String) -> Void
    ) {
        self.outputIsTerminal = outputIsTerminal
        self.errorIsTerminal = errorIsTerminal
        self.writeOut = writeOut
        self.writeError = writeError
    }

    /// The process's own standard output and error.
    public static var standard: Console {
        Console(
            outputIsTerminal: isatty(STDOUT_FILENO) == 1,
            errorIsTerminal: isatty(STDERR_FILENO) == 1,
            writeOut: { FileHandle.standardOutput.write(Data($0.utf8)) },
            writeError: { FileHandle.standardError.write(Data($0.utf8)) })
    }

    /// Writes one line to standard output.
    public func line(_ text: String = "") { writeOut(text + "\n") }

    /// Writes one line to standard error.
    public func errorLine(_ text: String) { writeError(text + "\n") }
}
