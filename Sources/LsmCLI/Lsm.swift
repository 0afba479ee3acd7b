import ArgumentParser

/// The root command, `lsm` (run by git as `git lsm`).
public struct Lsm: AsyncParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "git-lsm",
        abstract: "Know what your AI coding agents did in this repository.",
        discussion: """
            lsm reads the transcripts of Claude Code, Codex CLI, Cursor, GitHub Copilot and Gemini CLI, \
            says what each session in this repository cost and how healthy it is, ties sessions to the \
            commits they produced, and keeps code comments anchored to lines that follow the code.

            Run it as `git lsm <command>`. Settings live in git config under lsm.*; the index lives in \
            $LSM_HOME (default $XDG_DATA_HOME/lsm or ~/.local/share/lsm). Exit status: 0 on success, 1 for \
            a user error (the message says what to do), 2 for an internal error, 64 for bad usage.
            """,
        version: Lsm.version,
        subcommands: [
            StatusCommand.self, ListCommand.self, ShowCommand.self, HealthCommand.self, MonitorCommand.self, IndexCommand.self,
            StatuslineCommand.self, LogCommand.self, HooksCommand.self, BlameCommand.self, SyncCommand.self, LinkCommand.self,
            CommentCommand.self, CommentsCommand.self, ReplyCommand.self, ResolveCommand.self, ReopenCommand.self, ReactCommand.self,
            EditCommentCommand.self, DeleteCommentCommand.self,
            SearchCommand.self, MemoryCommand.self, ExportCommand.self, ImportCommand.self, MCPCommand.self, ServeCommand.self,
            ReviewCommand.self, ShareCommand.self,
            HookCommand.self, AgentEventCommand.self, ManualCommand.self, BenchRelocationCommand.self, BenchRoomCommand.self,
        ]
    )

    /// Accepted before the command name too (`git lsm -C path status`), as git accepts its own.
    @OptionGroup var global: GlobalOptions

    public init() {}
}
