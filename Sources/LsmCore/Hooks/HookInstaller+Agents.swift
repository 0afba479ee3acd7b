import Foundation
import LsmGit

/// `--agents`: Claude Code's hooks in the repository's `.claude/settings.local.json`, and Codex's
/// user-wide `notify`.
extension HookInstaller {
    /// Codex's `notify` in `$CODEX_HOME` (else `~/.codex`).
    var codexNotify: CodexNotifySetting {
        CodexNotifySetting(codexHome: workspace.transcriptLocator.codexRoot)
    }

    var codexNotifyNotice: String {
        "Codex's notify in \(codexNotify.path) runs another program; lsm left it: to have Codex report turns "
            + "to lsm too, call `git lsm agent-event codex \"<the JSON argument>\"` from that program"
    }

    /// Refuses, before anything is written, what installing the agent hooks could not do.
    func checkAgentHooks(in repository: Repository) throws(LsmError) {
        guard let workDirectory = repository.workDirectory else { throw Self.bareRepository }
        try ClaudeHookSettings(projectDirectory: workDirectory).check()
        try codexNotify.check()
    }

    func installAgentHooks(in repository: Repository) throws(LsmError) {
        guard let workDirectory = repository.workDirectory else { throw Self.bareRepository }
        try ClaudeHookSettings(projectDirectory: workDirectory).install()
        _ = try codexNotify.install()
        // Known to the index, so that uninstalling elsewhere sees this repository still uses Codex's notify.
        do {
            try workspace.openIndex().noteRepository(commonDir: repository.commonDirectory, workDir: workDirectory, at: workspace.now())
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    func uninstallAgentHooks(from repository: Repository) throws(LsmError) {
        guard let workDirectory = repository.workDirectory else { return }
        try ClaudeHookSettings(projectDirectory: workDirectory).uninstall()
        if !otherRepositoriesUseAgentHooks(besides: workDirectory) { _ = try codexNotify.uninstall() }
    }

    /// Whether another repository lsm knows still has its Claude Code hooks: Codex's `notify` is one
    /// for the whole user, so it goes with the last repository's agent hooks. When the index cannot
    /// be read, the answer is yes: leaving the line does less harm than breaking another repository.
    private func otherRepositoriesUseAgentHooks(besides workDirectory: String) -> Bool {
        guard let repositories = try? workspace.openIndex().repositories() else { return true }
        return repositories.contains { record in
            guard let other = record.workDir, other != workDirectory else { return false }
            return ClaudeHookSettings(projectDirectory: other).state() != .absent
        }
    }
}
