import ArgumentParser
import Foundation
import LsmCore

/// `git lsm statusline`: the status line Claude Code shows, from the JSON it sends on standard input.
struct StatuslineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statusline",
        abstract: "Print one status line for Claude Code: model, context fill, session cost, health.",
        discussion: """
            Set it in Claude Code's settings.json: "statusLine": {"type": "command", "command": "git lsm statusline"}. \
            It reads Claude Code's JSON on standard input and reads only that session's transcript.
            """)

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let report = try StatuslineReport.make(from: context.readInput(), in: workspace)
        var parts: [String] = []
        if let model = report.model { parts.append(model) }
        if let fill = report.contextFill { parts.append("ctx \(Formatting.percent(fill))") }
        if let cost = report.costUSD { parts.append(Formatting.cost(cost)) }
        if let health = report.health { parts.append("health \(health.score)") }
        context.console.line(parts.isEmpty ? "lsm: no session data" : parts.joined(separator: " | "))
    }
}
