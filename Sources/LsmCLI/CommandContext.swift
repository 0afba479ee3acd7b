import Foundation
import LsmCore

/// What a running command may touch besides its arguments: the workspace it runs in and the console
/// it writes to. Bound for the duration of one `CommandLineTool.run` call, so in-process tests can run
/// commands in parallel with their own directory, environment and output.
public struct CommandContext: Sendable {
    public var workspace: Workspace
    public var console: Console
    /// Reads standard input to its end (for `statusline`).
    public var readInput: @Sendable () -> Data

    public init(
        workspace: Workspace, console: Console,
        readInput: @escaping @Sendable () -> Data = { FileHandle.standardInput.readDataToEndOfFile() }
    ) {
        self.workspace = workspace
        self.console = console
        self.readInput = readInput
    }

    /// The real process: its working directory, environment and standard streams.
    public static var process: CommandContext {
        CommandContext(
            workspace: Workspace(
                directory: FileManager.default.currentDirectoryPath,
                environment: ProcessInfo.processInfo.environment),
            console: .standard)
    }

    @TaskLocal static var current: CommandContext = .process
}
