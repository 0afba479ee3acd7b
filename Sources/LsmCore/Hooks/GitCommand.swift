import Foundation

/// Runs the `git` command line, for what libgit2 does not do (talking to remotes with the user's
/// credentials, `interpret-trailers`).
public struct GitCommand: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// Runs `git <arguments>` in the workspace's directory and returns its standard output; throws
    /// with git's own message when it fails.
    @discardableResult
    public func run(_ arguments: [String], passingStandardError: Bool = false) throws(LsmError) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: workspace.directory)
        var environment = workspace.environment
        // A hook's index file belongs to the commit in progress; nothing lsm runs may touch it.
        environment["GIT_INDEX_FILE"] = nil
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = passingStandardError ? FileHandle.standardError : errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw LsmError(.user, "cannot run git", hint: "install git and put it on PATH", cause: error.localizedDescription)
        }
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = passingStandardError ? Data() : errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw LsmError(
                .user, "git \(arguments.prefix(2).joined(separator: " ")) failed",
                cause: message.isEmpty ? "exit status \(process.terminationStatus)" : message)
        }
        return String(decoding: stdout, as: UTF8.self)
    }
}
