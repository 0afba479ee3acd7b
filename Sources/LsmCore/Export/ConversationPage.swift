import Foundation

/// A session as a page to read: Markdown (for pasting) or one self-contained HTML file (inline CSS,
/// no external assets, every transcript string escaped). Usage and health come first, then the
/// commits, then the conversation with each tool call folded.
struct ConversationPage {
    enum Kind {
        case markdown, html
    }

    let kind: Kind
    let summary: SessionSummary
    let commits: [SessionCommits.Linked]
    /// The machine an imported session came from.
    let origin: String?

    func write(files: [TranscriptFile], with writer: BundleWriter) throws(LsmError) {
        let title = writer.redacted(summary.title ?? "\(summary.agent) session \(summary.id)")
        let facts = self.facts(writer)
        switch kind {
        case .markdown:
            writer.sink.write("# \(title)\n\n")
            for (name, value) in facts { writer.sink.write("- **\(name)**: \(value)\n") }
            if !commits.isEmpty {
                writer.sink.write("\n## Commits\n\n")
                for commit in commits {
                    writer.sink.write("- `\(commit.commit.prefix(12))` \(writer.redacted(commit.subject)) (\(commit.source))\n")
                }
            }
            writer.sink.write("\n## Conversation\n")
        case .html:
            writer.sink.write(
                "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>\(Self.escape(title))</title>\n<style>\(Self.style)</style>\n</head>\n<body>\n<main>\n"
            )
            writer.sink.write("<h1>\(Self.escape(title))</h1>\n<table class=\"facts\">\n")
            for (name, value) in facts { writer.sink.write("<tr><th>\(Self.escape(name))</th><td>\(Self.escape(value))</td></tr>\n") }
            writer.sink.write("</table>\n")
            if !summary.health.recommendation.isEmpty {
                writer.sink.write("<p class=\"advice\">\(Self.escape(summary.health.recommendation))</p>\n")
            }
            if !commits.isEmpty {
                writer.sink.write("<h2>Commits</h2>\n<ul class=\"commits\">\n")
                for commit in commits {
                    writer.sink.write(
                        "<li><code>\(commit.commit.prefix(12))</code> \(Self.escape(writer.redacted(commit.subject))) <span class=\"muted\">(\(Self.escape(commit.source)))</span></li>\n"
                    )
                }
                writer.sink.write("</ul>\n")
            }
            writer.sink.write("<h2>Conversation</h2>\n")
        }
        try writer.forEachMessage(in: files) { _, _, message in
            writeMessage(message, writer: writer)
        }
        if kind == .html { writer.sink.write("</main>\n</body>\n</html>\n") }
    }

    private func facts(_ writer: BundleWriter) -> [(String, String)] {
        var facts: [(String, String)] = [("Agent", summary.agent), ("Session", summary.id)]
        if let repo = summary.repo ?? summary.cwd { facts.append(("Folder", writer.redacted(repo))) }
        if let branch = summary.branch { facts.append(("Branch", branch)) }
        if let model = summary.model { facts.append(("Model", model)) }
        if let started = summary.startedAt { facts.append(("Started", SessionBundle.timestamp(started))) }
        if let last = summary.lastActivityAt { facts.append(("Last activity", SessionBundle.timestamp(last))) }
        if let usage = summary.usage {
            facts.append(
                (
                    "Usage",
                    "\(usage.total) tokens (input \(usage.input), output \(usage.output), cache write \(usage.cacheWrite), cache read \(usage.cacheRead)) in \(summary.calls) calls"
                ))
        } else {
            facts.append(("Usage", "not recorded by this agent"))
        }
        facts.append(("Cost", summary.costUSD.map { String(format: "$%.4f", $0) } ?? "n/a"))
        facts.append(("Health", "\(summary.health.score)/100 (\(summary.health.status))"))
        if let fill = summary.contextFill { facts.append(("Context", String(format: "%.0f%% full", fill * 100))) }
        facts.append(("Tools", "\(summary.toolCalls) calls, \(summary.toolErrors) errors; \(summary.compactions) compactions"))
        if let origin { facts.append(("Imported from", origin)) }
        return facts
    }

    private func writeMessage(_ message: SearchMessage, writer: BundleWriter) {
        let time = message.timestamp.map(SessionBundle.timestamp)
        let text = writer.redacted(message.text)
        let tool = message.tool.map { writer.redacted($0) }
        let paths = message.paths.map { writer.redacted($0) }
        switch (kind, message.kind) {
        case (.markdown, .prompt), (.markdown, .text):
            let who = message.kind == .prompt ? "User" : "Assistant"
            writer.sink.write("\n### \(who)\(time.map { " · \($0)" } ?? "")\n\n\(text)\n")
        case (.markdown, .tool), (.markdown, .toolError):
            let label = message.kind == .tool ? "Tool: \(tool ?? "tool")" : "Tool error"
            let body = ([text] + paths).filter { !$0.isEmpty }.joined(separator: "\n")
            let fence = body.contains("```") ? "````" : "```"
            writer.sink.write("\n<details><summary>\(label)</summary>\n\n\(fence)\n\(body)\n\(fence)\n\n</details>\n")
        case (.html, .prompt), (.html, .text):
            let role = message.kind == .prompt ? "user" : "assistant"
            writer.sink.write(
                "<section class=\"\(role)\"><div class=\"who\">\(role == "user" ? "User" : "Assistant")\(time.map { " · " + Self.escape($0) } ?? "")</div><div class=\"text\">\(Self.escape(text))</div></section>\n"
            )
        case (.html, .tool), (.html, .toolError):
            let label = message.kind == .tool ? "Tool: \(tool ?? "tool")" : "Tool error"
            let body = ([text] + paths).filter { !$0.isEmpty }.joined(separator: "\n")
            let css = message.kind == .tool ? "tool" : "tool error"
            writer.sink.write(
                "<details class=\"\(css)\"><summary>\(Self.escape(label))</summary><pre>\(Self.escape(body))</pre></details>\n")
        }
    }

    /// `text` safe inside HTML elements and attribute values.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    static let style = """
        body{margin:0;background:#f6f7f9;color:#1d2430;font:15px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",sans-serif}\
        main{max-width:880px;margin:0 auto;padding:24px}h1{font-size:22px}h2{font-size:17px;margin-top:28px}\
        .facts{border-collapse:collapse;background:#fff;border:1px solid #dde1e7;width:100%}\
        .facts th{text-align:left;width:160px;color:#5b6472;font-weight:500}.facts th,.facts td{padding:4px 10px;border-bottom:1px solid #eef0f3}\
        .advice{background:#fff7e6;border:1px solid #f3d9a4;padding:8px 12px}.muted{color:#7a8290}\
        section{background:#fff;border:1px solid #dde1e7;border-radius:6px;margin:10px 0;padding:10px 14px}\
        section.user{border-left:4px solid #3b82f6}section.assistant{border-left:4px solid #10b981}\
        .who{font-size:12px;color:#5b6472;margin-bottom:4px}.text{white-space:pre-wrap;word-wrap:break-word}\
        details{margin:6px 0 6px 16px;background:#fbfbfc;border:1px solid #e5e7eb;border-radius:4px;padding:4px 10px}\
        details.error{border-color:#f1b0b0;background:#fff5f5}summary{cursor:pointer;color:#374151;font-size:13px}\
        pre{white-space:pre-wrap;word-wrap:break-word;font:12px/1.4 ui-monospace,Menlo,monospace;margin:6px 0}code{font-family:ui-monospace,Menlo,monospace}
        """
}
