import Foundation
import LsmCore
import MCP

/// Tools over what sessions discussed and what the team decided to remember: `search_transcripts`,
/// `search_memory`, `add_memory`.
enum SearchTools {
    static let searchTranscripts = ToolDefinition(
        name: "search_transcripts", title: "Search past sessions",
        description:
            "Searches what earlier agent sessions discussed (prompts, answers, tool calls, tool errors) and the team's memories, ranked by relevance and recency; use it to find what was decided or tried before.",
        parameters: [
            ToolParameter(
                name: "query", kind: .string,
                description: "Words (all required), \"a phrase\", prefix*, a OR b, -excluded, and path:, tool:, role:, agent: filters.",
                required: true),
            ToolParameter(name: "all", kind: .boolean, description: "true to search every repository's sessions, not only this one's."),
            ToolParameter(
                name: "role", kind: .string, description: "Only messages of this role.", choices: ["user", "assistant", "tool"]),
            ToolParameter(name: "since", kind: .string, description: "Only messages since a date (2026-11-01) or for a while (24h, 7d)."),
            ToolParameter(name: "limit", kind: .integer, description: "At most this many hits (default 10).", minimum: 1),
        ],
        readOnly: true
    ) { (arguments, state) throws(LsmError) in
        let text = arguments.string("query") ?? ""
        _ = try SearchQuery.parse(text)
        let repository = try state.repositoryIfPresent()
        let catalog = try state.catalog()
        let report = try SearchIndexer(index: catalog.index).refresh(rebuild: false)
        let now = state.workspace.now()
        var options = SessionSearch.Options(
            query: text, repoCommonDir: (arguments.bool("all") ?? false) ? nil : repository?.commonDirectory)
        options.role = arguments.string("role")
        options.since = try arguments.string("since").map { (value) throws(LsmError) in try TimeFilter.parse(value, now: now) }
        options.limit = arguments.int("limit") ?? 10
        let scopes = MemoryBook(index: catalog.index, repoCommonDir: repository?.commonDirectory, now: now).visibleScopes
        var results = try SessionSearch(index: catalog.index, now: now).run(options, memoryScopes: scopes)
        results.indexed = report
        let lines =
            results.memories.map { "memory \($0.id): \($0.text)" }
            + results.hits.map { "\($0.ref) \($0.agent) \($0.timestamp.map { $0.formatted(.iso8601) } ?? "-"): \($0.snippet.text)" }
        return try ToolOutput(results, text: lines.isEmpty ? "nothing found for \(text)" : lines.joined(separator: "\n"))
    }

    static let searchMemory = ToolDefinition(
        name: "search_memory", title: "Search memories",
        description:
            "Searches the durable notes (memories) the team kept for later sessions in this repository, and the global ones.",
        parameters: [
            ToolParameter(
                name: "query", kind: .string, description: "What to look for (same syntax as search_transcripts).", required: true),
            ToolParameter(name: "limit", kind: .integer, description: "At most this many memories (default 20).", minimum: 1),
        ],
        readOnly: true
    ) { (arguments, state) throws(LsmError) in
        let book = try memoryBook(state)
        let memories = try book.search(arguments.string("query") ?? "", limit: arguments.int("limit") ?? 20)
        let text = memories.isEmpty ? "no memory matches" : memories.map { "\($0.id): \($0.text)" }.joined(separator: "\n")
        return try ToolOutput(memories, key: "memories", text: text)
    }

    static let addMemory = ToolDefinition(
        name: "add_memory", title: "Remember something",
        description:
            "Keeps a durable note (a decision, a convention, a pitfall) that later sessions in this repository will find with search_memory and search_transcripts.",
        parameters: [
            ToolParameter(name: "text", kind: .string, description: "The note, one or a few sentences.", required: true),
            ToolParameter(name: "tags", kind: .string, description: "Comma-separated tags."),
            ToolParameter(name: "global", kind: .boolean, description: "true to keep it for every repository."),
            ToolParameter(
                name: "from", kind: .string, description: "The <session>:<message> reference it comes from (a search hit's ref)."),
        ],
        readOnly: false
    ) { (arguments, state) throws(LsmError) in
        let tags = (arguments.string("tags") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
        let memory = try memoryBook(state).add(
            text: arguments.string("text") ?? "", tags: tags, global: arguments.bool("global") ?? false, from: arguments.string("from"))
        return try ToolOutput(memory, text: "remembered as memory \(memory.id)")
    }

    private static func memoryBook(_ state: ServerState) throws(LsmError) -> MemoryBook {
        let repository = try state.repositoryIfPresent()
        return MemoryBook(index: try state.catalog().index, repoCommonDir: repository?.commonDirectory, now: state.workspace.now())
    }
}
