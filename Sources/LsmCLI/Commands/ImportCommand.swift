import ArgumentParser
import Foundation
import LsmCore

/// `git lsm import <bundle>`: restores an exported session into this machine's index.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Restore a session from a bundle git lsm export wrote, marked imported with its origin.",
        discussion: """
            The bundle's schema and checksum are checked first: a truncated, changed or newer bundle is \
            refused and nothing is written. Its transcripts go under $LSM_HOME/imported and are indexed \
            like this machine's own, so list, show, search and log see the session. Inside a repository \
            the session is tied to it (its clone here); --as-of-origin keeps it where its own working \
            directory puts it. Importing the same bundle again changes nothing.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The bundle file.", valueName: "bundle"))
    var bundle: String

    @Flag(help: "Keep the session's repository as at its origin, instead of tying it to this repository.")
    var asOfOrigin = false

    func run() async throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let path = URL(fileURLWithPath: bundle, relativeTo: URL(fileURLWithPath: workspace.directory, isDirectory: true)).path
        let report = try SessionImporter(workspace: workspace).importBundle(at: path, asOfOrigin: asOfOrigin)
        if global.json {
            context.console.line(try JSONOutput.encode(report))
            return
        }
        let verb = report.imported ? "imported" : "already imported:"
        let place = report.repository.map { " into \($0)" } ?? ""
        context.console.line("\(verb) \(report.agent) session \(report.session) from \(report.origin)\(place)")
    }
}
