import ArgumentParser
import Foundation
import LsmCore

/// `git lsm hooks install|uninstall|status`.
struct HooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hooks",
        abstract: "Install, remove or inspect the git hooks that record sessions on commits.",
        discussion: """
            The hooks record, as a git note under refs/notes/lsm, the agent sessions at work in this \
            repository and branch when a commit is made (post-commit), and carry those notes across amend \
            and rebase (post-rewrite). They run in the background, print nothing and never fail or slow a \
            commit; their errors go to <git common dir>/lsm/hooks.log. Existing hooks keep working: a \
            marked block goes into a shell hook, any other hook is called from lsm's, and uninstall \
            restores every file byte for byte.
            """,
        subcommands: [InstallHooks.self, UninstallHooks.self, HooksStatus.self],
        defaultSubcommand: HooksStatus.self)
}

struct InstallHooks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install lsm's git hooks into this repository's hooks directory (core.hooksPath honoured).",
        discussion: """
            Also adds refs/notes/lsm to notes.rewriteRef unless you set that yourself. Settings: \
            lsm.hooks.window (minutes a session counts as at work after its last activity, default 30), \
            lsm.hooks.trailerOnMerge (also tag merge and squash messages with --trailer).
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Also add an LSM-Session: <agent>/<id> trailer to commit messages (prepare-commit-msg).")
    var trailer = false

    @Flag(
        help:
            "Also register Claude Code hooks (.claude/settings.local.json) that report sessions live, and Codex's notify (user-wide) where Codex has none."
    )
    var agents = false

    func run() async throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let repository = try workspace.openRepository()
        let report = try HookInstaller(workspace: workspace).install(
            in: repository, options: .init(trailer: trailer, agents: agents))
        if global.json {
            context.console.line(try JSONOutput.encode(report))
            return
        }
        HooksView.render(report, console: context.console)
        context.console.line()
        context.console.line("Notes stay in this clone until you share them:")
        context.console.line("  git lsm sync [<remote>]   fetches, merges and pushes refs/notes/lsm")
        context.console.line("  (or by hand: git push origin refs/notes/lsm; git fetch origin refs/notes/lsm:refs/notes/lsm)")
    }
}

struct UninstallHooks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uninstall",
        abstract: "Remove everything hooks install added, restoring other hooks byte for byte.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let repository = try workspace.openRepository()
        let report = try HookInstaller(workspace: workspace).uninstall(from: repository)
        if global.json {
            context.console.line(try JSONOutput.encode(report))
            return
        }
        HooksView.render(report, console: context.console)
        context.console.line("The notes already recorded stay in refs/notes/lsm.")
    }
}

struct HooksStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show which of lsm's hooks are installed, and where.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let repository = try workspace.openRepository()
        let report = try HookInstaller(workspace: workspace).status(of: repository)
        if global.json {
            context.console.line(try JSONOutput.encode(report))
            return
        }
        HooksView.render(report, console: context.console)
    }
}

enum HooksView {
    static func render(_ report: HookInstaller.Report, console: Console) {
        console.line("hooks directory: \(report.hooksDirectory)\(report.hooksPath.map { " (core.hooksPath = \($0))" } ?? "")")
        for hook in report.hooks {
            let state: String
            switch hook.state {
            case .installed: state = hook.sharedWithOtherHook ? "installed, beside the existing hook" : "installed"
            case .outdated: state = "outdated (git lsm hooks install updates it)"
            case .absent: state = hook.sharedWithOtherHook ? "not installed (another hook is there)" : "not installed"
            }
            console.line("  \(hook.hook.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0))\(state)")
        }
        let rewrite: String
        switch report.rewriteRef {
        case .setByLsm: rewrite = "refs/notes/lsm (set by lsm)"
        case .includesLsm: rewrite = "includes refs/notes/lsm"
        case .userValue: rewrite = "your value, without refs/notes/lsm"
        case .unset: rewrite = "not set"
        }
        console.line("notes.rewriteRef: \(rewrite)")
        console.line("Claude Code hooks: \(report.agentHooks.rawValue)")
        let codex: String
        switch report.codexNotify {
        case .installed: codex = "installed (user-wide)"
        case .absent: codex = "absent"
        case .otherProgram: codex = "another program's (left alone)"
        case .noCodex: codex = "no Codex here"
        }
        console.line("Codex notify: \(codex)")
        for notice in report.notices { console.errorLine("note: \(notice)") }
    }
}

/// `git-lsm hook <name> [<git's arguments>]`: what the hook scripts call. Prints nothing and exits 0
/// whatever happens.
struct HookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook", abstract: "Run one of lsm's git hooks (called by the hook scripts).", shouldDisplay: false)

    @Argument(help: "The hook: post-commit, post-rewrite or prepare-commit-msg.")
    var name: String

    @Argument(parsing: .allUnrecognized, help: "The arguments git passed to the hook.")
    var arguments: [String] = []

    func run() async throws {
        let context = CommandContext.current
        // Out of the terminal's process group, so a Ctrl-C right after `git commit` does not cut a note short.
        if context.workspace.environment["LSM_HOOK_SYNC"] != "1" { _ = setsid() }
        let input = name == GitHook.postRewrite.rawValue ? context.readInput() : Data()
        HookRunner(workspace: context.workspace).run(name, arguments: arguments, input: input)
    }
}

/// `git lsm agent-event <agent> [<payload>]`: what the agents' hooks call.
struct AgentEventCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent-event",
        abstract: "Record an agent hook event (called by the hooks hooks install --agents registers).",
        discussion: "Reads the event JSON from standard input (Claude Code) or the last argument (Codex notify). Prints nothing.",
        shouldDisplay: false)

    @Argument(help: "The agent: claude or codex.")
    var agent: String

    @Argument(help: "The event JSON, when the agent passes it as an argument.")
    var payload: String?

    func run() async throws {
        let context = CommandContext.current
        let data = payload.map { Data($0.utf8) } ?? context.readInput()
        do {
            try AgentEventRecorder(workspace: context.workspace).record(agent: agent, payload: data)
        } catch {
            // An agent shows a hook's failure to its user; lsm keeps its own problems to itself.
            let repository = try? context.workspace.openRepositoryIfPresent()
            HookRunner.log(
                "agent-event \(agent): \(HookRunner.describe(error))", repository: repository ?? nil, workspace: context.workspace)
        }
    }
}
