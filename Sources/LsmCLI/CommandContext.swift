import Foundation
import LsmCore

/// What a running command may touch besides its arguments: the workspace it runs in and the console
/// it writes to. Bound for the duration of one `CommandLineTool.run` call, so in-process tests can run
/// commands in parallel with their own directory, environment and output.
public struct CommandContext: Sendable {
    public var workspace: Workspace
    public var console: Console

    public init(workspace: Workspace, console: Console) {
        self.workspace = workspace
        self.console = console
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
