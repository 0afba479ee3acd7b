import ArgumentParser
import Foundation
import LsmCore

/// `git lsm memory add|list|search|forget`: durable notes for the next sessions.
struct MemoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memory",
        abstract: "Keep notes that outlive sessions: add, list, search, forget.",
        discussion: """
            A memory belongs to the current repository (all its worktrees) unless added with --global; \
            in a repository you see its memories and the global ones. git lsm search shows matching \
            memories above transcript hits. Memories live in the index database and survive index \
            --rebuild.
            """,
        subcommands: [MemoryAddCommand.self, MemoryListCommand.self, MemorySearchCommand.self, MemoryForgetCommand.self])
}

extension MemoryBook {
    /// The memory book of the directory a command runs in.
    static func current(_ global: GlobalOptions, _ context: CommandContext) throws -> MemoryBook {
        let workspace = global.workspace(in: context)
        let repository = try workspace.openRepositoryIfPresent()
        return MemoryBook(index: try workspace.openIndex(), repoCommonDir: repository?.commonDirectory, now: workspace.now())
    }
}

struct MemoryAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Remember a note (prints its id).",
        discussion: """
            With --from <session>:<message> (a reference git lsm search prints) the memory keeps a link \
            to that message and a copy of its text; without text, the message itself is the memory.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The note.")
    var text: [String] = []

    @Option(help: ArgumentHelp("A tag (repeatable).", valueName: "tag"))
    var tag: [String] = []

    @Flag(name: .customLong("global"), help: "Remember it in every repository, not only this one.")
    var everywhere = false

    @Option(help: ArgumentHelp("The session (<session>) or message (<session>:<message>) it comes from.", valueName: "ref"))
    var from: String?

    func run() async throws {
        let context = CommandContext.current
        let book = try MemoryBook.current(global, context)
        let memory = try book.add(text: text.joined(separator: " "), tags: tag, global: everywhere, from: from)
        if global.json {
            context.console.line(try JSONOutput.encode(memory))
        } else {
            context.console.line(String(memory.id))
        }
    }
}

struct MemoryListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List this repository's and the global memories, newest first.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Memories of every repository.")
    var all = false

    func run() async throws {
        let context = CommandContext.current
        let memories = try MemoryBook.current(global, context).list(all: all)
        if global.json {
            context.console.line(try JSONOutput.encode(memories))
            return
        }
        if memories.isEmpty {
            context.console.line("no memories here (git lsm memory add <text> adds one)")
            return
        }
        let workspace = global.workspace(in: context)
        for memory in memories { MemoryView(memory: memory, now: workspace.now(), showRepository: all).render(to: context.console) }
    }
}

struct MemorySearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Search this repository's and the global memories.",
        discussion: "Words, \"phrases\", prefix*, a OR b and -excluded, as in git lsm search.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "What to look for.")
    var query: [String]

    @Option(help: ArgumentHelp("At most this many memories.", valueName: "n"))
    var limit = 20

    func run() async throws {
        let context = CommandContext.current
        let memories = try MemoryBook.current(global, context).search(query.joined(separator: " "), limit: limit)
        if global.json {
            context.console.line(try JSONOutput.encode(memories))
            return
        }
        if memories.isEmpty {
            context.console.line("no memory matches")
            return
        }
        let workspace = global.workspace(in: context)
        for memory in memories { MemoryView(memory: memory, now: workspace.now(), showRepository: false).render(to: context.console) }
    }
}

struct MemoryForgetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget", abstract: "Delete a memory of this repository (or a global one) by id.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The memory's id, as memory list shows it.")
    var id: Int64

    func run() async throws {
        let context = CommandContext.current
        let memory = try MemoryBook.current(global, context).forget(id: id)
        if global.json {
            context.console.line(try JSONOutput.encode(memory))
        } else {
            context.console.line("forgot memory \(memory.id)")
        }
    }
}

/// One memory as text: id, scope, age and tags, then the note.
struct MemoryView {
    let memory: MemoryBook.Memory
    let now: Date
    let showRepository: Bool

    func render(to console: Console) {
        var heading = ["\(memory.id)", Formatting.age(memory.createdAt, now: now)]
        if memory.repository == nil {
            heading.append("global")
        } else if showRepository, let repository = memory.repository {
            heading.append(repository)
        }
        if !memory.tags.isEmpty { heading.append(memory.tags.map { "#" + $0 }.joined(separator: " ")) }
        if let session = memory.session { heading.append("from " + session + (memory.message.map { ":\($0)" } ?? "")) }
        console.line(heading.joined(separator: " · "))
        for line in memory.text.split(separator: "\n", omittingEmptySubsequences: false) { console.line("  " + line) }
    }
}
