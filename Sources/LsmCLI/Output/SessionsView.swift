import Foundation
import LsmCore

/// The table of sessions that `status` and `list` print.
struct SessionsView {
    let sessions: [SessionSummary]
    let style: Style
    let now: Date
    /// Show the repository column (for `list --all`).
    var showRepository = false

    func render(to console: Console) {
        var table = TextTable(
            header: ["agent", "session", "model", "branch", "last active", "tokens", "cost", "context", "health"]
                + (showRepository ? ["directory"] : []))
        table.rightAligned = [5, 6, 7, 8]
        for session in sessions {
            var row = [
                session.agent, style.yellow(Formatting.shortID(session.id)), session.model ?? "-", session.branch ?? "-",
                session.live ? style.green("live") : Formatting.age(session.lastActivityAt, now: now),
                session.usage.map { Formatting.tokens($0.total) } ?? "n/a",
                Formatting.cost(session.costUSD),
                fill(session.contextFill), healthScore(session.health),
            ]
            if showRepository { row.append(session.repo ?? session.cwd ?? "-") }
            table.rows.append(row)
        }
        for line in table.render(style: style) { console.line(line) }
        let unpriced = Set(sessions.flatMap(\.unpricedModels)).sorted()
        if !unpriced.isEmpty {
            console.errorLine(
                "warning: no price known for \(unpriced.joined(separator: ", ")); their cost shows as n/a (add them to $LSM_HOME/pricing.json)"
            )
        }
    }

    private func healthScore(_ health: SessionHealth) -> String {
        switch health.status {
        case .healthy: style.green("\(health.score)")
        case .warning: style.yellow("\(health.score)")
        case .critical: style.red("\(health.score)")
        }
    }

    private func fill(_ fraction: Double?) -> String {
        let text = Formatting.percent(fraction)
        guard let fraction else { return text }
        if fraction >= 0.8 { return style.red(text) }
        if fraction >= 0.5 { return style.yellow(text) }
        return style.green(text)
    }
}
