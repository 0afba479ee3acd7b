import ArgumentParser
import Foundation
import LsmCore

extension SessionExporter.Format: ExpressibleByArgument {}

/// `git lsm export <session>` and `git lsm export --all -o DIR`: sessions as lossless JSON bundles,
/// Markdown or HTML pages.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a session as a lossless JSON bundle (for import elsewhere), Markdown or a self-contained HTML page.",
        discussion: """
            The JSON bundle (lsm.bundle/1) holds the session's metadata, usage, health, linked commits, \
            normalized events and every line of its transcripts, with a checksum; git lsm import restores \
            it on another machine. --redact removes API keys, tokens, private keys, passwords in URLs and \
            .env-style secrets, and makes paths relative to the repository (rules in docs/export.md). \
            Without -o the export goes to standard output; with --all, -o names a folder that gets one \
            file per session.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The session's id, or a prefix of it that only it has.", valueName: "session"))
    var session: String?

    @Flag(help: "Export every session in the index, one file each, into the folder -o names.")
    var all = false

    @Option(help: ArgumentHelp("With --all: only sessions active since a date (2026-11-01) or for a while (7d).", valueName: "date"))
    var since: String?

    @Option(help: ArgumentHelp("json (default), markdown or html.", valueName: "format"))
    var format: SessionExporter.Format = .json

    @Flag(help: "Remove secrets and make paths relative to the repository.")
    var redact = false

    @Option(name: .shortAndLong, help: ArgumentHelp("The file to write (a folder with --all); default standard output.", valueName: "path"))
    var output: String?

    func validate() throws {
        if all {
            if session != nil { throw ValidationError("pass a session or --all, not both") }
            if output == nil { throw ValidationError("--all needs -o <folder>") }
        } else {
            if session == nil { throw ValidationError("pass a session id (or --all -o <folder>)") }
            if since != nil { throw ValidationError("--since goes with --all") }
        }
    }

    func run() async throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let exporter = SessionExporter(workspace: workspace)
        let target = output.map { URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: workspace.directory, isDirectory: true)).path }
        if all, let target {
            let cutoff = try since.map { text throws(LsmError) in try TimeFilter.parse(text, now: workspace.now()) }
            let reports = try exporter.exportAll(since: cutoff, format: format, redact: redact, into: target)
            if global.json {
                context.console.line(try JSONOutput.encode(reports))
            } else {
                context.console.line("exported \(reports.count) session\(reports.count == 1 ? "" : "s") to \(target)")
            }
            return
        }
        guard let session else { return }
        guard let target else {
            _ = try exporter.export(session: session, format: format, redact: redact, to: .stream(context.console.writeOut))
            return
        }
        let report = try exporter.export(session: session, format: format, redact: redact, to: .file(target))
        if global.json {
            context.console.line(try JSONOutput.encode(report))
        } else {
            let redacted = report.redactions.values.reduce(0, +)
            context.console.line(
                "exported \(report.agent) session \(report.session) to \(report.output) (\(report.files) file\(report.files == 1 ? "" : "s"), "
                    + "\(report.lines) lines\(redact ? ", \(redacted) secret\(redacted == 1 ? "" : "s") redacted" : ""))")
        }
    }
}
