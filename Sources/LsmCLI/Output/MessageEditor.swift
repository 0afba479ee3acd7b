import Foundation
import LsmCore
import LsmGit

/// A comment's text: from the arguments, `-m`, or the user's editor (as git picks it: `GIT_EDITOR`,
/// `core.editor`, `VISUAL`, `EDITOR`, else `vi`), with `#` lines dropped.
enum MessageEditor {
    static func text(
        arguments: [String], message: String?, template: String, context: CommandContext, workspace: Workspace, repository: Repository
    ) throws -> String {
        if let message { return message }
        if !arguments.isEmpty { return arguments.joined(separator: " ") }
        guard context.console.outputIsTerminal, isatty(STDIN_FILENO) == 1 else {
            throw LsmError(.user, "empty comment", hint: "give the text as an argument or with -m")
        }
        let environment = workspace.environment
        let configured = try? repository.config(environment: environment).string("core.editor")
        let editor =
            [environment["GIT_EDITOR"], configured ?? nil, environment["VISUAL"], environment["EDITOR"]].compactMap { $0 }
            .first { !$0.isEmpty } ?? "vi"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("LSM_COMMENT_\(getpid()).md")
        try Data((template + "\n").utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", editor + " \"$@\"", editor, file.path]
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw LsmError(.user, "the editor (\(editor)) exited with status \(process.terminationStatus); nothing was written")
        }
        let text = String(decoding: (try? Data(contentsOf: file)) ?? Data(), as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("#") }.joined(separator: "\n")
    }
}
