import ArgumentParser
import Foundation
import LsmCore

/// `git lsm index`: reads what is new in the agents' transcripts into the index.
struct IndexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Read new transcript lines of every agent into the session index.",
        discussion: """
            Other commands do this themselves before they answer; run it to see what was read, or with \
            --rebuild to read every transcript again from the start. Transcripts are found under \
            CLAUDE_CONFIG_DIR (else ~/.config/claude and ~/.claude) and CODEX_HOME (else ~/.codex).
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Forget what was read and read every transcript again.")
    var rebuild = false

    @Flag(help: "Also bring the full-text index (git lsm search) up to date; with --rebuild, rebuild it.")
    var search = false

    @Flag(help: "List files that could not be read.")
    var verbose = false

    func run() async throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let index = try workspace.openIndex()
        let bar = ProgressBar(console: context.console)
        let report = try SessionIndexer(index: index, locator: workspace.transcriptLocator).refresh(
            rebuild: rebuild, progress: bar.callback)
        bar.finish()
        let searchReport = search ? try SearchIndexer(index: index).refresh(rebuild: rebuild) : nil
        if global.json {
            if let searchReport {
                context.console.line(try JSONOutput.encode(IndexWithSearch(sessions: report, search: searchReport)))
            } else {
                context.console.line(try JSONOutput.encode(report))
            }
            return
        }
        let megabytes = Double(report.bytes) / 1_048_576
        context.console.line(
            "\(report.files) transcript files, \(report.changedFiles) with new lines: read \(String(format: "%.1f", megabytes)) MB, "
                + "\(report.records) records (\(report.malformed) malformed, skipped) in \(String(format: "%.2f", report.seconds)) s")
        context.console.line("\(report.sessions) sessions in \(index.path)")
        if let searchReport {
            context.console.line(
                "full-text index: \(searchReport.changedFiles) files read, \(searchReport.messages) messages added, "
                    + "\(searchReport.indexedMessages) in all (\(String(format: "%.2f", searchReport.seconds)) s)")
        }
        if !report.unreadable.isEmpty {
            context.console.errorLine(
                "warning: \(report.unreadable.count) files could not be read\(verbose ? ":" : " (--verbose lists them)")")
            if verbose { for line in report.unreadable { context.console.errorLine("  \(line)") } }
        }
    }
}

/// `index --search --json`: the session index's report, with the full-text index's as `search`.
private struct IndexWithSearch: Encodable {
    var sessions: SessionIndexer.Report
    var search: SearchIndexer.Report

    private enum Key: String, CodingKey { case search }

    func encode(to encoder: any Encoder) throws {
        try sessions.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(search, forKey: .search)
    }
}
