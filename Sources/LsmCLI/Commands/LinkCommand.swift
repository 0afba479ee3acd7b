import ArgumentParser
import Foundation
import LsmCore

/// `git lsm link`: infer which sessions made which commits, for history made without the hooks.
struct LinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "link",
        abstract: "Infer which agent sessions made which commits, from their transcripts.",
        discussion: """
            For commits made without git lsm hooks. Compares this repository's sessions with the commits \
            reachable from HEAD and the local branches made while each session was at work (from 5 minutes \
            before its start to lsm.hooks.window after its last activity). Evidence, strongest first: the \
            session's git commit printed the commit's id (confidence 1); its Edit, Write, MultiEdit or \
            apply_patch calls wrote the commit's added lines (confidence from the share of them); it was \
            active on the commit's branch and its transcript shows no edits to compare (0.2). Links are \
            kept in the index, replacing those of the same sessions, and git lsm log shows them as \
            inferred. Only --write-notes writes to git: the links of confidence 0.6 or more become notes \
            under refs/notes/lsm, in one notes commit, beside what the notes already say.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Only sessions active since a date (2026-11-01) or for a while (24h, 7d, 2w).", valueName: "date"))
    var since: String?

    @Flag(help: "Write the links of confidence 0.6 or more as notes (refs/notes/lsm).")
    var writeNotes = false

    func run() async throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let activeSince = try since.map { (text) throws(LsmError) in try TimeFilter.parse(text, now: workspace.now()) }
        let repository = try workspace.openRepository()
        let settings = try Settings.load(in: workspace, repository: repository)
        let report = try CommitLinker(workspace: workspace).link(since: activeSince, writeNotes: writeNotes, in: repository)
        if global.json {
            context.console.line(try JSONOutput.encode(report))
            return
        }
        render(report, style: global.style(in: context, settings: settings), console: context.console)
    }

    private func render(_ report: LinkReport, style: Style, console: Console) {
        let examined =
            "\(report.sessionsExamined) session\(report.sessionsExamined == 1 ? "" : "s"), "
            + "\(report.commitsExamined) commit\(report.commitsExamined == 1 ? "" : "s") examined"
        guard !report.links.isEmpty else {
            console.line("no links found (\(examined))")
            return
        }
        var table = TextTable(header: ["commit", "session", "confidence", "evidence"])
        table.rightAligned = [2]
        for link in report.links {
            table.rows.append([
                style.yellow(String(link.commit.prefix(7))), "\(link.agent) \(Formatting.shortID(link.session))",
                Formatting.confidence(link.confidence), link.evidence.joined(separator: "; "),
            ])
        }
        table.render(style: style).forEach(console.line)
        console.line()
        let strong = report.links.filter { $0.confidence >= CommitLink.noteThreshold }.count
        var summary = "\(report.links.count) link\(report.links.count == 1 ? "" : "s") (\(strong) of confidence 0.6 or more); \(examined)"
        summary +=
            writeNotes
            ? "; \(report.notesWritten) note\(report.notesWritten == 1 ? "" : "s") written"
            : "; nothing written to git (--write-notes writes the strong links as notes)"
        console.line(summary)
    }
}
