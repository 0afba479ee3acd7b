import Foundation
import LsmGit

/// Installs, removes and inspects lsm's git hooks without disturbing anyone else's: an existing
/// shell hook gets a marked block after its first line, any other hook is kept under another name and
/// called from lsm's script, and uninstalling restores every file byte for byte.
public struct HookInstaller: Sendable {
    public struct Options: Sendable, Equatable {
        /// Also add `LSM-Session` trailers to commit messages (`prepare-commit-msg`).
        public var trailer: Bool
        /// Also register Claude Code hooks that report sessions as they work, and Codex's `notify`.
        public var agents: Bool

        public init(trailer: Bool = false, agents: Bool = false) {
            self.trailer = trailer
            self.agents = agents
        }
    }

    /// One hook file and lsm's part in it.
    public struct HookFile: Encodable, Sendable, Equatable {
        public enum State: String, Encodable, Sendable {
            /// lsm's current block is in the file.
            case installed
            /// lsm's block is there, from another version of lsm: `install` updates it.
            case outdated
            /// No file, or a file without lsm's block.
            case absent
        }

        public var hook: GitHook
        public var path: String
        public var state: State
        /// Whether another hook shares the file (or is called from it).
        public var sharedWithOtherHook: Bool
    }

    /// Whether `notes.rewriteRef` makes git itself carry lsm's notes across amend and rebase.
    public enum RewriteRef: String, Encodable, Sendable {
        /// lsm set it (uninstall removes it).
        case setByLsm = "set-by-lsm"
        /// The user's value already includes `refs/notes/lsm`.
        case includesLsm = "includes-lsm"
        /// The user set it to something else; lsm leaves it, and its post-rewrite hook carries the notes.
        case userValue = "user-value"
        case unset
    }

    public struct Report: Encodable, Sendable, Equatable {
        public var hooksDirectory: String
        /// `core.hooksPath` when it moved the hooks directory.
        public var hooksPath: String?
        public var hooks: [HookFile]
        public var rewriteRef: RewriteRef
        public var agentHooks: ClaudeHookSettings.State
        /// lsm's `notify` in Codex's `config.toml` (user-wide).
        public var codexNotify: CodexNotifySetting.State
        /// Things the user should know (a directory another tool regenerates, a value lsm left alone).
        public var notices: [String]

        /// Whether the git hooks that record notes are in place.
        public var recording: Bool {
            hooks.filter { $0.hook != .prepareCommitMessage }.allSatisfy { $0.state == .installed }
        }
    }

    static let configMarker = "lsm.hooks.rewriteRef"
    /// The value install adds to `notes.rewriteRef`: a pattern, because git warns "notes ref
    /// refs/notes/lsm is invalid" on every amend and rebase while a plain ref does not exist yet.
    static let rewriteRefValue = CommitNote.notesRef + "*"

    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// Installs the hooks (and, with the options, the trailer hook and the agent hooks). Every file is
    /// checked before any is written, so a refusal changes nothing.
    public func install(in repository: Repository, options: Options) throws(LsmError) -> Report {
        let directory = try hooksDirectory(of: repository)
        let hooks: [GitHook] = options.trailer ? [.postCommit, .postRewrite, .prepareCommitMessage] : [.postCommit, .postRewrite]
        let plans = try hooks.map { (hook) throws(LsmError) in try plan(hook, in: directory.path) }
        if options.agents { try checkAgentHooks(in: repository) }
        do {
            try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
        } catch {
            throw LsmError(.user, "cannot create the hooks directory \(directory.path)", cause: error.localizedDescription)
        }
        for plan in plans { try plan.apply() }
        try setRewriteRef(in: repository)
        if options.agents { try installAgentHooks(in: repository) }
        return try status(of: repository)
    }

    /// Removes everything `install` added, and nothing else.
    public func uninstall(from repository: Repository) throws(LsmError) -> Report {
        let directory = try hooksDirectory(of: repository)
        for hook in GitHook.allCases {
            try remove(hook, in: directory.path)
        }
        do {
            let local = try repository.localConfigValues(Self.configMarker)
            if local.contains("set") {
                try repository.removeLocalConfigValue("notes.rewriteRef", Self.rewriteRefValue)
                try repository.removeLocalConfigValue(Self.configMarker, "set")
            }
        } catch {
            throw LsmError(.user, "cannot update the repository's git config", cause: error.message)
        }
        try uninstallAgentHooks(from: repository)
        return try status(of: repository)
    }

    /// What is installed where.
    public func status(of repository: Repository) throws(LsmError) -> Report {
        let directory = try hooksDirectory(of: repository)
        var notices = directory.notices
        let hooks = GitHook.allCases.map { hook -> HookFile in
            let path = (directory.path as NSString).appendingPathComponent(hook.rawValue)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8), let block = HookBlock.find(in: text) else {
                return HookFile(hook: hook, path: path, state: .absent, sharedWithOtherHook: FileManager.default.fileExists(atPath: path))
            }
            let shared = text.contains(GitHook.chainStartMarker) || !block.created
            return HookFile(
                hook: hook, path: path, state: block.normalizedText == hook.block ? .installed : .outdated, sharedWithOtherHook: shared)
        }
        let rewriteRef = try rewriteRefState(of: repository)
        if rewriteRef == .userValue {
            notices.append(
                "notes.rewriteRef is set without \(CommitNote.notesRef); lsm's post-rewrite hook carries the notes instead "
                    + "(add it with: git config --add notes.rewriteRef \(CommitNote.notesRef))")
        }
        let agentHooks = repository.workDirectory.map { ClaudeHookSettings(projectDirectory: $0).state() } ?? .absent
        let codexNotify = codexNotify.state()
        if codexNotify == .otherProgram, agentHooks != .absent { notices.append(codexNotifyNotice) }
        return Report(
            hooksDirectory: directory.path, hooksPath: directory.configured, hooks: hooks, rewriteRef: rewriteRef, agentHooks: agentHooks,
            codexNotify: codexNotify, notices: notices)
    }

    // MARK: - The hooks directory

    struct HooksDirectory {
        var path: String
        var configured: String?
        var notices: [String]
    }

    /// The directory git runs this repository's hooks from: `core.hooksPath` (relative to the work
    /// tree) when set, else the common dir's `hooks`, which linked worktrees share.
    func hooksDirectory(of repository: Repository) throws(LsmError) -> HooksDirectory {
        guard let workDirectory = repository.workDirectory else { throw Self.bareRepository }
        let configured: String?
        do {
            configured = try repository.config(environment: workspace.environment).string("core.hooksPath")
        } catch {
            throw LsmError.unreadableConfig(error)
        }
        guard let configured, !configured.isEmpty else {
            return HooksDirectory(path: repository.commonDirectory + "/hooks", configured: nil, notices: [])
        }
        var path = configured
        if path.hasPrefix("~/"), let home = workspace.environment["HOME"] { path = home + String(path.dropFirst(1)) }
        if !path.hasPrefix("/") { path = (workDirectory as NSString).appendingPathComponent(path) }
        path = URL(fileURLWithPath: path).standardizedFileURL.path
        var notices: [String] = []
        if path == "/dev/null" {
            throw LsmError(
                .user, "core.hooksPath is /dev/null: git runs no hooks in this repository",
                hint: "unset it (git config --unset core.hooksPath) or point it at a folder, then run git lsm hooks install again")
        }
        if path.hasPrefix(workDirectory + "/") {
            notices.append(
                "core.hooksPath points into the work tree (\(configured)); tools such as husky rewrite that folder, "
                    + "so check git lsm hooks status after reinstalling them")
        } else {
            notices.append("core.hooksPath is \(configured): the hooks there may serve other repositories too")
        }
        return HooksDirectory(path: path, configured: configured, notices: notices)
    }

    static let bareRepository = LsmError(
        .user, "a bare repository has no work tree to commit in", hint: "install the hooks in a clone: git lsm -C <clone> hooks install")

    // MARK: - Installing one hook

    /// What installing one hook will do, decided before anything is written.
    struct Plan {
        enum Action {
            case none
            case create(String)
            case replace(String)
            case chain(wrapper: String)
        }

        var path: String
        var action: Action

        func apply() throws(LsmError) {
            do {
                switch action {
                case .none:
                    return
                case .create(let text):
                    try HookFiles.write(text, to: path, permissions: 0o755)
                case .replace(let text):
                    let permissions = try HookFiles.permissions(of: path)
                    try HookFiles.write(text, to: path, permissions: permissions)
                case .chain(let wrapper):
                    try FileManager.default.moveItem(atPath: path, toPath: path + GitHook.chainedSuffix)
                    try HookFiles.write(wrapper, to: path, permissions: 0o755)
                }
            } catch let error as LsmError {
                throw error
            } catch {
                throw LsmError(.user, "cannot write the hook \(path)", cause: error.localizedDescription)
            }
        }
    }

    func plan(_ hook: GitHook, in directory: String) throws(LsmError) -> Plan {
        let path = (directory as NSString).appendingPathComponent(hook.rawValue)
        guard let kind = HookFiles.kind(of: path) else {
            return Plan(path: path, action: .create(created(hook)))
        }
        if kind == .symbolicLink {
            return try chainPlan(hook, path: path)
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return try chainPlan(hook, path: path)
        }
        if let block = HookBlock.find(in: text) {
            if block.normalizedText == hook.block { return Plan(path: path, action: .none) }
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let marker = lines[block.lines.lowerBound]
            var replacement = hook.block.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
            replacement[0] = marker
            lines.replaceSubrange(block.lines, with: replacement)
            return Plan(path: path, action: .replace(lines.joined(separator: "\n")))
        }
        guard HookFiles.isShellScript(text) else { return try chainPlan(hook, path: path) }
        guard FileManager.default.isExecutableFile(atPath: path) else { throw Self.notExecutable(path) }
        return Plan(path: path, action: .replace(Self.inserting(hook.block, into: text)))
    }

    /// A hook git skips: lsm must not start running it (by inserting into it or calling it).
    static func notExecutable(_ path: String) -> LsmError {
        LsmError(
            .user, "\(path) is not executable, so git skips it",
            hint: "make it executable (chmod +x) or remove it, then run git lsm hooks install again")
    }

    private func created(_ hook: GitHook) -> String {
        hook.script.replacingOccurrences(of: GitHook.startMarker, with: GitHook.startMarker + " " + GitHook.createdFlag)
    }

    private func chainPlan(_ hook: GitHook, path: String) throws(LsmError) -> Plan {
        guard FileManager.default.isExecutableFile(atPath: path) else { throw Self.notExecutable(path) }
        let chained = path + GitHook.chainedSuffix
        guard !FileManager.default.fileExists(atPath: chained) else {
            throw LsmError(.user, "\(chained) already exists", hint: "move it away, then run git lsm hooks install again")
        }
        let wrapper =
            "#!/bin/sh\n" + hook.block + GitHook.chainStartMarker + "\n"
            + "# The hook that was here before git-lsm, kept unchanged; git lsm hooks uninstall puts it back.\n"
            + "exec \"$(dirname \"$0\")/\(hook.rawValue)\(GitHook.chainedSuffix)\" \"$@\"\n" + GitHook.chainEndMarker + "\n"
        return Plan(path: path, action: .chain(wrapper: wrapper))
    }

    /// `block` after the first line (the shebang) of `text`.
    static func inserting(_ block: String, into text: String) -> String {
        guard let newline = text.firstIndex(of: "\n") else {
            let flagged = block.replacingOccurrences(of: GitHook.startMarker, with: GitHook.startMarker + " " + GitHook.addedLineBreakFlag)
            return text + "\n" + flagged
        }
        return String(text[...newline]) + block + String(text[text.index(after: newline)...])
    }

    /// `text` without lsm's block, as it was before `inserting`; `nil` when nothing but lsm's own
    /// script would remain (the file lsm created).
    static func removingBlock(from text: String) -> String? {
        guard let block = HookBlock.find(in: text) else { return text }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeSubrange(block.lines)
        var remaining = lines.joined(separator: "\n")
        if block.created && remaining.trimmingCharacters(in: .whitespacesAndNewlines) == "#!/bin/sh" { return nil }
        if block.addedLineBreak, remaining.hasSuffix("\n") { remaining.removeLast() }
        return remaining
    }

    private func remove(_ hook: GitHook, in directory: String) throws(LsmError) {
        let path = (directory as NSString).appendingPathComponent(hook.rawValue)
        guard HookFiles.kind(of: path) == .regular, let text = try? String(contentsOfFile: path, encoding: .utf8),
            HookBlock.find(in: text) != nil
        else { return }
        do {
            let chained = path + GitHook.chainedSuffix
            if text.contains(GitHook.chainStartMarker), HookFiles.kind(of: chained) != nil {
                try FileManager.default.removeItem(atPath: path)
                try FileManager.default.moveItem(atPath: chained, toPath: path)
            } else if let remaining = Self.removingBlock(from: text) {
                try HookFiles.write(remaining, to: path, permissions: try HookFiles.permissions(of: path))
            } else {
                try FileManager.default.removeItem(atPath: path)
            }
        } catch let error as LsmError {
            throw error
        } catch {
            throw LsmError(.user, "cannot restore the hook \(path)", cause: error.localizedDescription)
        }
    }

    // MARK: - notes.rewriteRef

    private func setRewriteRef(in repository: Repository) throws(LsmError) {
        guard try rewriteRefState(of: repository) == .unset else { return }
        do {
            try repository.addLocalConfigValue("notes.rewriteRef", Self.rewriteRefValue)
            try repository.addLocalConfigValue(Self.configMarker, "set")
        } catch {
            throw LsmError(.user, "cannot update the repository's git config", cause: error.message)
        }
    }

    private func rewriteRefState(of repository: Repository) throws(LsmError) -> RewriteRef {
        do {
            let config = try repository.config(environment: workspace.environment)
            if try repository.localConfigValues(Self.configMarker).contains("set"),
                try repository.localConfigValues("notes.rewriteRef").contains(Self.rewriteRefValue)
            {
                return .setByLsm
            }
            guard let value = try config.string("notes.rewriteRef") else { return .unset }
            let values = Set(try repository.localConfigValues("notes.rewriteRef") + [value])
            let covers = values.contains { pattern in
                [CommitNote.notesRef, Self.rewriteRefValue, "refs/notes/*", "refs/notes/**"].contains(pattern)
            }
            return covers ? .includesLsm : .userValue
        } catch {
            throw LsmError.unreadableConfig(error)
        }
    }
}

/// File operations on hook scripts.
enum HookFiles {
    enum Kind { case regular, symbolicLink, other }

    static func kind(of path: String) -> Kind? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFLNK: return .symbolicLink
        default: return .other
        }
    }

    static func permissions(of path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? 0o755
    }

    /// Replaces the file in one step (a reader sees the old or the new script, never half of one).
    static func write(_ text: String, to path: String, permissions: Int) throws {
        let temporary = path + ".lsm-tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: permissions])
        else {
            throw LsmError(.user, "cannot write \(temporary)")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw LsmError(.user, "cannot replace \(path)", cause: reason)
        }
    }

    /// Whether the script's `#!` line names a POSIX-style shell, so a block of `sh` can go into it.
    static func isShellScript(_ text: String) -> Bool {
        guard text.hasPrefix("#!") else { return false }
        let line = text.prefix { $0 != "\n" }.dropFirst(2)
        var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard !words.isEmpty else { return false }
        if (words[0] as NSString).lastPathComponent == "env" {
            words.removeFirst()
            words.removeAll { $0.hasPrefix("-") }
        }
        guard let interpreter = words.first else { return false }
        return ["sh", "bash", "dash", "zsh", "ksh", "ash", "mksh"].contains((interpreter as NSString).lastPathComponent)
    }
}
