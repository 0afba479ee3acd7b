import ArgumentParser
import Foundation
import LsmCore

/// `git lsm sync`: fetch, merge and push lsm's notes and comment threads.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Share session notes and comment threads with a remote: fetch, merge, push.",
        discussion: """
            Syncs refs/notes/lsm (session notes: the union of sessions per commit when both sides wrote \
            one) and refs/lsm/comments/* (comment threads: the union of their operations). The remote is \
            the one named, else the current branch's upstream remote, else origin. git's own \
            credentials and remote settings apply. With --configure, adds fetch refspecs so a plain \
            git fetch also brings the remote's notes and threads (git lsm comments shows them at once; \
            the next git lsm sync merges them and pushes yours).
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The remote to sync with.")
    var remote: String?

    @Flag(help: "Add fetch refspecs for lsm's refs to the remote's configuration instead of syncing.")
    var configure = false

    func run() async throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let repository = try workspace.openRepository()
        let sync = RepositorySync(workspace: workspace)
        if configure {
            let added = try sync.configure(remote: remote, in: repository)
            if global.json {
                context.console.line(try JSONOutput.encode(["added": added]))
            } else if added.isEmpty {
                context.console.line("already configured")
            } else {
                for refspec in added { context.console.line("added fetch refspec \(refspec)") }
            }
            return
        }
        let report = try sync.sync(remote: remote, in: repository)
        if global.json {
            context.console.line(try JSONOutput.encode(report))
            return
        }
        let notes =
            switch report.notes.received {
            case "fast-forward": "received new notes"
            case "merged": "merged \(report.notes.mergedNotes) note\(report.notes.mergedNotes == 1 ? "" : "s") with ours"
            default: "no new notes"
            }
        let comments = report.comments
        var threads: [String] = []
        if comments.new > 0 { threads.append("\(comments.new) new") }
        if comments.updated > 0 { threads.append("\(comments.updated) updated") }
        if comments.merged > 0 { threads.append("\(comments.merged) merged") }
        let threadText = threads.isEmpty ? "no new comment threads" : "comment threads: " + threads.joined(separator: ", ")
        context.console.line("\(report.remote): \(notes); \(threadText); \(report.pushed ? "pushed ours" : "nothing to push")")
    }
}
