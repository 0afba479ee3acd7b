import ArgumentParser
import Foundation
import LsmCore

/// `git lsm sync`: fetch, merge and push lsm's notes.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Share the session notes (refs/notes/lsm) with a remote: fetch, merge, push.",
        discussion: """
            Notes written on different clones for the same commit are merged by taking the union of their \
            sessions. The remote is the one named, else the current branch's upstream remote, else origin. \
            git's own credentials and remote settings apply.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The remote to sync with.")
    var remote: String?

    func run() async throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let repository = try workspace.openRepository()
        let report = try NotesSync(workspace: workspace).sync(remote: remote, in: repository)
        if global.json {
            context.console.line(try JSONOutput.encode(report))
            return
        }
        let received =
            switch report.received {
            case "fast-forward": "received new notes"
            case "merged": "merged \(report.mergedNotes) note\(report.mergedNotes == 1 ? "" : "s") with ours"
            default: "nothing new to receive"
            }
        context.console.line("\(report.remote): \(received); \(report.pushed ? "pushed ours" : "nothing to push")")
    }
}
