import Foundation
import LsmCore

/// Lays out one frame of the dashboard as lines of text, from a snapshot and what the user selected.
struct DashboardView {
    /// What the person at the keyboard has chosen.
    struct Selection {
        var index = 0
        var showingDetail = false
        var filter = ""
        var editingFilter = false
    }

    let snapshot: DashboardSnapshot
    let selection: Selection
    let style: Style
    let size: (rows: Int, columns: Int)
    let title: String

    /// The rows matching the filter (agent, id, model, repository or branch).
    static func visibleRows(_ snapshot: DashboardSnapshot, filter: String) -> [DashboardSnapshot.Row] {
        guard !filter.isEmpty else { return snapshot.rows }
        let needle = filter.lowercased()
        return snapshot.rows.filter { row in
            let s = row.session
            return [s.agent, s.id, s.model ?? "", s.repo ?? s.cwd ?? "", s.branch ?? ""].contains { $0.lowercased().contains(needle) }
        }
    }

    func lines() -> [String] {
        let rows = Self.visibleRows(snapshot, filter: selection.filter)
        var lines: [String] = []
        let clock = snapshot.takenAt.formatted(date: .omitted, time: .standard)
        lines.append(style.bold("lsm monitor") + "  \(title)  " + style.dim(clock))
        lines.append(
            "today \(Formatting.tokens(snapshot.today.tokens)) tokens \(Formatting.cost(snapshot.today.cost))   "
                + "last 5 h \(Formatting.tokens(snapshot.lastFiveHours.tokens)) tokens \(Formatting.cost(snapshot.lastFiveHours.cost)) "
                + style.dim("(estimate: plan limits are not visible locally)"))
        lines.append("")
        var table = TextTable(header: ["", "agent", "where", "model", "context", "burn/min", "today", "health", "active"])
        table.rightAligned = [5, 6, 7]
        let detailLines = selection.showingDetail ? 14 : 0
        let room = max(1, size.rows - 6 - detailLines)
        let selected = min(selection.index, max(0, rows.count - 1))
        let first = max(0, min(selected - room + 1, rows.count - room))
        for (offset, row) in rows.dropFirst(max(0, first)).prefix(room).enumerated() {
            let index = max(0, first) + offset
            let s = row.session
            let marker = index == selected ? style.cyan(">") : " "
            let place = ((s.repo ?? s.cwd).map { ($0 as NSString).lastPathComponent } ?? "-") + (s.branch.map { "/" + $0 } ?? "")
            let burn = s.health.components.first { $0.name == "burnRate" }?.value ?? 0
            table.rows.append([
                marker, s.agent, place, s.model ?? "-", bar(s.contextFill), Formatting.tokens(Int(burn)), Formatting.cost(row.costToday),
                badge(s.health), s.live ? style.green("live") : Formatting.age(s.lastActivityAt, now: snapshot.takenAt),
            ])
        }
        lines += table.render(style: style)
        if rows.isEmpty { lines.append(style.dim(selection.filter.isEmpty ? "no sessions" : "no session matches '\(selection.filter)'")) }
        if selection.showingDetail, rows.indices.contains(selected) { lines += detail(rows[selected].session) }
        while lines.count < size.rows - 1 { lines.append("") }
        lines = Array(lines.prefix(size.rows - 1))
        lines.append(footer)
        return lines.map { clip($0) }
    }

    private var footer: String {
        if selection.editingFilter { return "filter: \(selection.filter)█  " + style.dim("Enter apply  Esc clear") }
        let filter = selection.filter.isEmpty ? "" : "filter '\(selection.filter)'  "
        return style.dim("\(filter)↑↓ select  Enter details  / filter  q quit")
    }

    private func detail(_ session: SessionSummary) -> [String] {
        var lines = [
            "", style.bold("\(session.agent) \(session.id)") + "  health " + badge(session.health) + "  " + session.health.recommendation,
        ]
        for component in session.health.components {
            let value = HealthView.format(component.value, unit: component.unit)
            let penalty = component.penalty > 0 ? style.red("-\(component.penalty)") : style.dim("0")
            lines.append(
                "  \(component.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(value.padding(toLength: 10, withPad: " ", startingAt: 0)) \(penalty)"
            )
        }
        lines.append(
            "  calls \(session.calls), tool calls \(session.toolCalls) (\(session.toolErrors) failed), compactions \(session.compactions), "
                + "last active \(Formatting.age(session.lastActivityAt, now: snapshot.takenAt))")
        return lines
    }

    private func bar(_ fill: Double?) -> String {
        guard let fill else { return style.dim("   -      ") }
        let width = 6
        let filled = max(0, min(width, Int((fill * Double(width)).rounded())))
        let percent = Formatting.percent(fill)
        let text =
            String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled) + " "
            + String(repeating: " ", count: max(0, 4 - percent.count)) + percent
        return fill >= 0.8 ? style.red(text) : fill >= 0.5 ? style.yellow(text) : style.green(text)
    }

    private func badge(_ health: SessionHealth) -> String {
        switch health.status {
        case .healthy: style.green("\(health.score)")
        case .warning: style.yellow("\(health.score)")
        case .critical: style.red("\(health.score)")
        }
    }

    /// Cuts a line to the terminal's width, not counting colour escapes.
    private func clip(_ line: String) -> String {
        var visible = 0
        var result = ""
        var inEscape = false
        for character in line {
            if inEscape {
                result.append(character)
                if character == "m" { inEscape = false }
                continue
            }
            if character == "\u{1B}" {
                inEscape = true
                result.append(character)
                continue
            }
            guard visible < size.columns else { continue }
            result.append(character)
            visible += 1
        }
        return inEscape || result.contains("\u{1B}") ? result + "\u{1B}[0m" : result
    }
}
