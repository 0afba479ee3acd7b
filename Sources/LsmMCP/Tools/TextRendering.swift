import Foundation
import LsmCore

/// The short text that accompanies each tool's structured content, for clients that show only text.
enum TextRendering {
    /// `claude-code abc12345 (live) claude-sonnet-4-5: 12.3k tokens, $0.42, context 61%, health 85 healthy`.
    static func sessionLine(_ session: SessionSummary) -> String {
        var parts = ["\(session.agent) \(session.id)\(session.live ? " (live)" : "")"]
        if let model = session.model { parts[0] += " \(model)" }
        var facts: [String] = []
        if let usage = session.usage { facts.append("\(usage.total) tokens") }
        if let cost = session.costUSD { facts.append(String(format: "$%.2f", cost)) }
        if let fill = session.contextFill { facts.append("context \(Int((fill * 100).rounded()))%") }
        facts.append("health \(session.health.score) \(session.health.status.rawValue)")
        if let title = session.title { facts.append("\"\(title.prefix(60))\"") }
        return parts[0] + ": " + facts.joined(separator: ", ")
    }

    /// The score, the recommendation, and each component that costs points.
    static func health(_ health: SessionHealth) -> String {
        var lines = ["health \(health.score) \(health.status.rawValue): \(health.recommendation)"]
        for component in health.components where component.penalty > 0 {
            lines.append("- \(component.name) -\(component.penalty)\(component.recommendation.map { ": " + $0 } ?? "")")
        }
        return lines.joined(separator: "\n")
    }

    /// `a1b2c3d4 src/a.swift:12-14 current: first comment (2 replies)`.
    static func thread(_ thread: CommentBoard.ThreadView) -> String {
        let path = thread.path ?? thread.anchor.path
        let lines: String
        if let line = thread.line, let end = thread.endLine {
            lines = line == end ? ":\(line)" : ":\(line)-\(end)"
        } else {
            lines = " (was line \(thread.anchor.line))"
        }
        let replies = thread.comments.count - 1
        return "\(thread.id.prefix(8)) \(path)\(lines) \(thread.state)\(thread.resolved ? ", resolved" : ""): "
            + "\(thread.body.split(separator: "\n").first ?? "")\(replies > 0 ? " (\(replies) repl\(replies == 1 ? "y" : "ies"))" : "")"
    }
}
