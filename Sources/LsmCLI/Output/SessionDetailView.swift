import Foundation
import LsmCore
import LsmStore

/// The text rendering of `git lsm show`.
struct SessionDetailView {
    let summary: SessionSummary
    let detail: SessionDetail
    var commits: [SessionCommits.Linked] = []
    /// The machine an imported session came from (`git lsm import`), or `nil`.
    var importedFrom: String?
    let style: Style
    let now: Date

    func render(to console: Console) {
        let s = summary
        var rows: [(String, String)] = [
            ("session", style.yellow(s.id) + (s.title.map { "  " + $0 } ?? "")),
            ("agent", s.agent + (s.agentVersion.map { " " + $0 } ?? "") + (s.live ? style.green(" (live)") : "")),
            ("directory", s.cwd ?? "-"),
            ("repository", s.repo ?? "none"),
            ("branch", s.branch ?? "-"),
            ("started", Formatting.timestamp(s.startedAt)),
            ("last active", "\(Formatting.timestamp(s.lastActivityAt)) (\(Formatting.age(s.lastActivityAt, now: now)))"),
            ("tokens", s.usage.map(usageLine) ?? "not recorded by \(s.agent)"),
            (
                "cost",
                Formatting.cost(s.costUSD) + (s.unpricedModels.isEmpty ? "" : " (no price for \(s.unpricedModels.joined(separator: ", ")))")
            ),
            ("calls", "\(s.calls)"),
            ("context", contextLine),
            ("compactions", "\(s.compactions)"),
            ("health", StatusBadge.text(s.health, style: style) + " — " + s.health.recommendation),
        ]
        if let importedFrom { rows.insert(("imported", "from \(importedFrom)"), at: 2) }
        let width = rows.map(\.0.count).max() ?? 0
        for (label, value) in rows { console.line(style.dim(label.padding(toLength: width, withPad: " ", startingAt: 0)) + "  " + value) }

        if !s.models.isEmpty {
            console.line()
            console.line(style.bold("Usage per model"))
            var table = TextTable(header: ["model", "calls", "input", "output", "cache write", "cache read", "cost"])
            table.rightAligned = [1, 2, 3, 4, 5, 6]
            for model in s.models {
                table.rows.append([
                    model.model, "\(model.calls)", Formatting.tokens(model.usage.input), Formatting.tokens(model.usage.output),
                    Formatting.tokens(model.usage.cacheWrite), Formatting.tokens(model.usage.cacheRead), Formatting.cost(model.costUSD),
                ])
            }
            for line in table.render(style: style) { console.line(line) }
        }
        let files = detail.toolUses.filter { !$0.path.isEmpty }
        if !files.isEmpty {
            console.line()
            console.line(style.bold("Files touched"))
            for use in files.prefix(30) { console.line("  \(use.path)  \(style.dim("\(use.tool) ×\(use.count)"))") }
            if files.count > 30 { console.line(style.dim("  … and \(files.count - 30) more (--json lists all)")) }
        }
        if !commits.isEmpty {
            console.line()
            console.line(style.bold("Commits"))
            for linked in commits {
                let source =
                    switch linked.source {
                    case "inferred": "inferred, confidence \(String(format: "%.2f", linked.confidence ?? 0))"
                    case "rewritten": "carried from a rewritten commit"
                    default: "note"
                    }
                console.line("  \(style.yellow(String(linked.commit.prefix(7))))  \(linked.subject)  \(style.dim(source))")
            }
        }
        if !detail.events.isEmpty {
            console.line()
            console.line(style.bold("Timeline"))
            for event in detail.events { console.line(eventLine(event)) }
        }
    }

    private func usageLine(_ usage: SessionSummary.Usage) -> String {
        "\(Formatting.tokens(usage.total)) (input \(Formatting.tokens(usage.input)), output \(Formatting.tokens(usage.output)), "
            + "cache write \(Formatting.tokens(usage.cacheWrite)), cache read \(Formatting.tokens(usage.cacheRead)))"
    }

    private var contextLine: String {
        guard let tokens = summary.contextTokens else { return "-" }
        let window = summary.contextWindow.map { " of \(Formatting.tokens($0))" } ?? ""
        return "\(Formatting.percent(summary.contextFill)) (\(Formatting.tokens(tokens))\(window))"
    }

    private func eventLine(_ event: SessionDetail.Event) -> String {
        let time =
            event.timestamp.map { Date(timeIntervalSince1970: $0).formatted(.iso8601.time(includingFractionalSeconds: false)) }
            ?? "--:--:--"
        let firstLine = event.text.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        switch event.kind {
        case "prompt": return "  \(style.dim(time))  \(style.cyan("prompt"))      \(firstLine)"
        case "compaction":
            return
                "  \(style.dim(time))  \(style.yellow("compaction"))  \(firstLine)\(event.tokens.map { " at \(Formatting.tokens($0)) tokens" } ?? "")"
        case "error": return "  \(style.dim(time))  \(style.red("api error"))   \(firstLine)"
        default: return "  \(style.dim(time))  \(style.red("tool error"))  \(firstLine)"
        }
    }
}
