import Foundation
import LsmCore

/// Search hits and memories as text: one heading line per hit, then its snippet.
struct SearchView {
    let results: SessionSearch.Results
    let style: Style
    let now: Date
    let showRepository: Bool

    func render(to console: Console) {
        if results.memories.isEmpty && results.hits.isEmpty {
            console.line("nothing found for \(results.query)")
            return
        }
        for memory in results.memories {
            let tags = memory.tags.isEmpty ? "" : " " + memory.tags.map { "#" + $0 }.joined(separator: " ")
            console.line(style.yellow("memory \(memory.id)") + style.dim((memory.repository == nil ? " global" : "") + tags))
            console.line("  " + (memory.snippet ?? Snippet(of: memory.text, terms: [])).marked { style.bold($0) })
        }
        for hit in results.hits {
            var heading = [style.cyan(hit.ref), hit.agent, Formatting.age(hit.timestamp, now: now), hit.role]
            if let tool = hit.tool { heading.append(tool) }
            if let branch = hit.branch, !branch.isEmpty { heading.append("on " + branch) }
            if let commit = hit.commit { heading.append("commit " + String(commit.prefix(10))) }
            if showRepository, let repository = hit.repository { heading.append((repository as NSString).lastPathComponent) }
            console.line(heading.joined(separator: style.dim(" · ")))
            console.line("  " + hit.snippet.marked { style.bold($0) })
        }
    }
}
