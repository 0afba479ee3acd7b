import ArgumentParser
import Foundation
import LsmCore

/// `git lsm log`: git log with the sessions, tokens and cost behind each commit.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show commits with the agent sessions, tokens and cost behind each.",
        discussion: """
            Sessions come from the notes the hooks write (refs/notes/lsm; see git lsm hooks) and from \
            LSM-Session trailers. Each note counts the tokens a session spent between the commit's parent \
            and the commit, so the totals of a range count no call twice: git lsm log main..HEAD says what \
            a branch cost. Notes carried through amend, rebase or cherry-pick are shown as carried, and \
            counted once: at the original commit when it is in the range too. Links git lsm link inferred, for sessions no note names, are shown as \
            inferred with their confidence; they carry no usage and are not in the totals.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Commits to show, as git log takes them (main..HEAD, v1.0...HEAD, a branch); HEAD by default."))
    var range: String?

    @Option(name: [.customShort("n"), .customLong("max-count")], help: ArgumentHelp("Show at most this many commits.", valueName: "n"))
    var maxCount: Int?

    func run() async throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let repository = try workspace.openRepository()
        let settings = try Settings.load(in: workspace, repository: repository)
        let report = try CommitLog(workspace: workspace).log(range: range, limit: maxCount, in: repository)
        if global.json {
            context.console.line(try JSONOutput.encode(report))
            return
        }
        render(report, style: global.style(in: context, settings: settings), console: context.console)
    }

    private func render(_ report: CommitLog.Report, style: Style, console: Console) {
        for entry in report.commits {
            let date = entry.date.formatted(.iso8601.year().month().day().dateSeparator(.dash))
            console.line("\(style.yellow(String(entry.commit.prefix(7))))  \(date)  \(entry.author)  \(entry.subject)")
            for session in entry.sessions {
                var cells = ["\(session.agent) \(Formatting.shortID(session.id))"]
                if let model = session.model { cells.append(model) }
                switch session.source {
                case .note:
                    if let usage = session.usage { cells.append("\(Formatting.tokens(usage.total)) tokens") }
                    if session.usage != nil { cells.append(Formatting.cost(session.costUSD)) }
                case .rewritten:
                    cells.append(style.dim("carried from a rewritten commit"))
                case .trailer:
                    cells.append(style.dim("from an LSM-Session trailer"))
                case .inferred:
                    cells.append(style.dim("inferred by git lsm link, confidence \(Formatting.confidence(session.confidence))"))
                }
                if let score = session.health?.score { cells.append("health \(score)") }
                if let fill = session.health?.contextFill { cells.append("context \(Formatting.percent(fill))") }
                if !session.filesTouched.isEmpty {
                    let shown = session.filesTouched.prefix(3).joined(separator: ", ")
                    cells.append(session.filesTouched.count > 3 ? "\(shown) +\(session.filesTouched.count - 3)" : shown)
                }
                console.line("         " + cells.joined(separator: "  "))
            }
        }
        let totals = report.totals
        if !report.commits.isEmpty { console.line() }
        var summary =
            "\(totals.commits) commit\(totals.commits == 1 ? "" : "s"), \(totals.commitsWithSessions) with agent sessions; "
            + "\(totals.sessions) session\(totals.sessions == 1 ? "" : "s"), \(Formatting.tokens(totals.usage.total)) tokens"
        if totals.usage.total > 0 || totals.costUSD != nil {
            summary += ", \(Formatting.cost(totals.costUSD))\(totals.costIncomplete ? " (some models unpriced)" : "")"
        }
        console.line(style.bold(summary))
        if totals.inferredLinks > 0 {
            let count = totals.inferredLinks == 1 ? "1 inferred link carries" : "\(totals.inferredLinks) inferred links carry"
            console.line(style.dim("\(count) no usage and \(totals.inferredLinks == 1 ? "is" : "are") not in the tokens and cost"))
        }
    }
}
