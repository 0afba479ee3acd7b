import ArgumentParser
import Foundation
import LsmCore

/// `git lsm blame <file> [--rev R]`: git blame, with the agent, session and prompt behind each line.
struct BlameCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blame",
        abstract: "Show who last changed each line of a file, and which agent session and prompt wrote it.",
        discussion: """
            Per line the commit (as git blame finds it, following renames) and, where an agent wrote \
            the line, the agent, session, model and the prompt that led to it. Sources, strongest first: \
            lsm's notes (refs/notes/lsm), whose sessions' transcripts are searched for the edit that \
            wrote the line; LSM-Session trailers; Git AI notes (refs/notes/ai); Co-authored-by trailers \
            naming an agent (agent only). When a noted session's transcripts are not on this machine, \
            the lines of the files it edited in that commit are credited to it without a prompt. The \
            file is read as committed at --rev (default HEAD); uncommitted changes are not shown.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The file, relative to the current directory.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("The revision to blame at (default HEAD).", valueName: "rev"))
    var rev: String?

    func run() async throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let report = try LineAttributor(workspace: workspace).blame(path: file, revision: rev)
        if global.json {
            context.console.line(try JSONOutput.encode(report))
            return
        }
        let settings = try Settings.load(in: workspace, repository: try workspace.openRepositoryIfPresent())
        BlameView(report: report, style: global.style(in: context, settings: settings)).render(to: context.console)
    }
}
