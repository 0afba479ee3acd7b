import Foundation
import LsmCore

/// The text rendering of `git lsm blame`: git blame's columns, a tag on each line an agent wrote,
/// and a legend saying what each tag stands for.
struct BlameView {
    let report: BlameReport
    let style: Style

    /// The longest prompt shown in the legend.
    static let promptWidth = 100

    func render(to console: Console) {
        var legend: [LineAttribution] = []
        var tags: [LineAttribution: String] = [:]
        for line in report.lines {
            guard let attribution = line.attribution, tags[attribution] == nil else { continue }
            legend.append(attribution)
            tags[attribution] = "\(Self.shortAgent(attribution.agent)):\(legend.count)"
        }
        let authorWidth = report.lines.map(\.author.count).max() ?? 0
        let numberWidth = String(report.lines.last?.line ?? 0).count
        let tagWidth = tags.values.map(\.count).max() ?? 0
        for line in report.lines {
            let author = line.author.padding(toLength: authorWidth, withPad: " ", startingAt: 0)
            let number = String(repeating: " ", count: numberWidth - String(line.line).count) + String(line.line)
            var text = style.dim("\(line.commit.prefix(8)) (\(author) \(Self.day(line))") + " \(number))"
            if tagWidth > 0 {
                let tag = line.attribution.flatMap { tags[$0] } ?? ""
                text += " " + (tag.isEmpty ? "" : style.cyan(tag)) + String(repeating: " ", count: tagWidth - tag.count)
            }
            console.line(text + " " + line.text)
        }
        guard !legend.isEmpty else { return }
        console.line()
        for attribution in legend {
            let tag = tags[attribution] ?? ""
            var parts = [attribution.agent]
            if let session = attribution.session { parts.append("session \(session)") }
            if let model = attribution.model { parts.append(model) }
            parts.append("from \(Self.sourceName(attribution.source))")
            let padding = String(repeating: " ", count: tagWidth - tag.count)
            console.line(style.cyan(tag) + padding + "  " + parts.joined(separator: ", "))
            if let prompt = attribution.prompt {
                console.line(String(repeating: " ", count: tagWidth + 2) + style.dim("prompt: ") + Self.oneLine(prompt))
            }
        }
    }

    /// The author date as git blame shows it: the day in the author's time zone.
    static func day(_ line: BlamedLine) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: line.timeZoneOffsetMinutes * 60) ?? TimeZone(identifier: "UTC") ?? .current
        let parts = calendar.dateComponents([.year, .month, .day], from: line.date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    static func shortAgent(_ agent: String) -> String {
        agent == "claude-code" ? "claude" : agent
    }

    static func sourceName(_ source: LineAttribution.Source) -> String {
        switch source {
        case .lsmNote: "lsm note"
        case .trailer: "LSM-Session trailer"
        case .gitAI: "Git AI note"
        case .coAuthor: "Co-authored-by trailer"
        }
    }

    /// The prompt on one line, cut to `promptWidth` characters.
    static func oneLine(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .joined(separator: " ")
        return flat.count > promptWidth ? String(flat.prefix(promptWidth - 1)) + "…" : flat
    }
}
