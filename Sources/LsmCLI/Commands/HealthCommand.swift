import ArgumentParser
import Foundation
import LsmCore
import LsmStore

/// `git lsm health [<session>]`: a session's health score, every component, and what to do.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Score a session's health 0–100 and explain every point.",
        discussion: """
            Without a session, the most recent session of this repository (a live one first). The \
            formula and the reason for each weight are in docs/health.md.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The session's id or a unique prefix; default: this repository's latest.", valueName: "session"))
    var session: String?

    func run() async throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let repository = try workspace.openRepositoryIfPresent()
        let settings = try Settings.load(in: workspace, repository: repository)
        let (catalog, _) = try workspace.refreshedCatalog()
        let summary: SessionSummary
        if let session {
            summary = try catalog.session(matching: session).0
        } else {
            guard let repository else {
                throw LsmError(.user, "not a git repository: \(workspace.directory)", hint: "name a session: git lsm health <session>")
            }
            let sessions = try catalog.sessions(SessionFilter(repoCommonDir: repository.commonDirectory))
            guard let latest = sessions.first(where: \.live) ?? sessions.first else {
                throw LsmError(.user, "no agent sessions in this repository", hint: "git lsm list --all shows every session")
            }
            summary = latest
        }
        if global.json {
            context.console.line(try JSONOutput.encode(SessionHealthJSON(summary)))
            return
        }
        HealthView(summary: summary, style: global.style(in: context, settings: settings)).render(to: context.console)
    }
}

/// The text rendering of a session's health.
struct HealthView {
    let summary: SessionSummary
    let style: Style

    func render(to console: Console) {
        let health = summary.health
        console.line(
            "\(style.dim("session"))  \(style.yellow(summary.id)) (\(summary.agent)\(summary.model.map { ", " + $0 } ?? "")\(summary.live ? ", live" : ""))"
        )
        console.line("\(style.dim("health "))  \(StatusBadge.text(health, style: style))")
        console.line("         \(health.recommendation)")
        console.line()
        var table = TextTable(header: ["component", "value", "threshold", "penalty", "what to do"])
        table.rightAligned = [1, 2, 3]
        for component in health.components {
            table.rows.append([
                component.name, Self.format(component.value, unit: component.unit), Self.format(component.threshold, unit: component.unit),
                component.penalty > 0 ? style.red("-\(component.penalty)") : "0", component.recommendation ?? "",
            ])
        }
        for line in table.render(style: style) { console.line(line) }
    }

    static func format(_ value: Double, unit: String) -> String {
        switch unit {
        case "fraction": return "\(Int((value * 100).rounded()))%"
        case "minutes": return value >= 120 ? "\(Int(value / 60)) h" : "\(Int(value)) min"
        case "hours": return String(format: "%.1f h", value)
        case "tokens/minute": return "\(Formatting.tokens(Int(value)))/min"
        default: return "\(Int(value))"
        }
    }
}

/// `85 healthy`, coloured by status.
enum StatusBadge {
    static func text(_ health: SessionHealth, style: Style) -> String {
        let text = "\(health.score) \(health.status.rawValue)"
        switch health.status {
        case .healthy: return style.green(text)
        case .warning: return style.yellow(text)
        case .critical: return style.red(text)
        }
    }
}
