import Foundation

/// lsm's entries in a project's Claude Code hook settings (`.claude/settings.local.json`, which
/// Claude Code keeps out of git): one asynchronous command per event, calling `git lsm agent-event`.
/// Only entries whose command is lsm's are ever added or removed; everything else in the file stays.
public struct ClaudeHookSettings: Sendable {
    public enum State: String, Encodable, Sendable, Equatable {
        case installed
        /// Some events have lsm's entry, others not (edited by hand, or another lsm version).
        case partial
        case absent
    }

    /// The command every entry runs.
    static let command = "git lsm agent-event claude"
    /// The events lsm listens to, with the tool matcher for tool events.
    static let events: [(name: String, matcher: String?)] = [
        ("SessionStart", nil), ("UserPromptSubmit", nil), ("PostToolUse", "Edit|Write|MultiEdit|NotebookEdit|Bash"), ("Stop", nil),
        ("SessionEnd", nil),
    ]

    public let projectDirectory: String

    public init(projectDirectory: String) {
        self.projectDirectory = projectDirectory
    }

    public var path: String { projectDirectory + "/.claude/settings.local.json" }

    public func state() -> State {
        guard let settings = try? read(), let hooks = settings["hooks"] as? [String: Any] else { return .absent }
        let present = Self.events.filter { event in Self.entries(in: hooks[event.name]).contains { Self.isOurs($0) } }.count
        return present == 0 ? .absent : present == Self.events.count ? .installed : .partial
    }

    /// Throws what `install` would refuse, writing nothing: a file that is not a JSON object, or whose
    /// `"hooks"` is not one.
    func check() throws(LsmError) {
        _ = try readForInstall()
    }

    func install() throws(LsmError) {
        var (settings, hooks) = try readForInstall()
        for event in Self.events {
            var groups = (hooks[event.name] as? [Any]) ?? []
            guard !Self.entries(in: groups).contains(where: Self.isOurs) else { continue }
            var group: [String: Any] = [
                "hooks": [["type": "command", "command": Self.command, "async": true, "timeout": 10] as [String: Any]]
            ]
            if let matcher = event.matcher { group["matcher"] = matcher }
            groups.append(group)
            hooks[event.name] = groups
        }
        settings["hooks"] = hooks
        try write(settings)
    }

    func uninstall() throws(LsmError) {
        guard var settings = try read(), var hooks = settings["hooks"] as? [String: Any] else { return }
        var changed = false
        for (name, value) in hooks {
            guard var groups = value as? [Any] else { continue }
            for index in groups.indices.reversed() {
                guard var group = groups[index] as? [String: Any], let entries = group["hooks"] as? [Any] else { continue }
                let kept = entries.filter { !Self.isOurs($0) }
                guard kept.count != entries.count else { continue }
                changed = true
                if kept.isEmpty {
                    groups.remove(at: index)
                } else {
                    group["hooks"] = kept
                    groups[index] = group
                }
            }
            hooks[name] = groups.isEmpty ? nil : groups
        }
        guard changed else { return }
        settings["hooks"] = hooks.isEmpty ? nil : hooks
        if settings.isEmpty {
            do { try FileManager.default.removeItem(atPath: path) } catch {
                throw LsmError(.user, "cannot remove \(path)", cause: error.localizedDescription)
            }
        } else {
            try write(settings)
        }
    }

    /// The settings and their `"hooks"` object, as install extends them.
    private func readForInstall() throws(LsmError) -> (settings: [String: Any], hooks: [String: Any]) {
        let settings = try read() ?? [:]
        if settings["hooks"] != nil, !(settings["hooks"] is [String: Any]) {
            throw LsmError(
                .user, "\(path): \"hooks\" is not an object", hint: "fix the file, then run git lsm hooks install --agents again")
        }
        return (settings, (settings["hooks"] as? [String: Any]) ?? [:])
    }

    private static func entries(in groups: Any?) -> [Any] {
        ((groups as? [Any]) ?? []).flatMap { (($0 as? [String: Any])?["hooks"] as? [Any]) ?? [] }
    }

    private static func isOurs(_ entry: Any) -> Bool {
        ((entry as? [String: Any])?["command"] as? String)?.hasPrefix("git lsm agent-event") == true
    }

    private func read() throws(LsmError) -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return [:] }
        guard let object = try? JSONSerialization.jsonObject(with: data), let settings = object as? [String: Any] else {
            throw LsmError(.user, "\(path) is not a JSON object", hint: "fix the file, then run the command again")
        }
        return settings
    }

    private func write(_ settings: [String: Any]) throws(LsmError) {
        do {
            try FileManager.default.createDirectory(atPath: projectDirectory + "/.claude", withIntermediateDirectories: true)
            var data = try JSONSerialization.data(
                withJSONObject: settings, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            data.append(0x0A)
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw LsmError(.user, "cannot write \(path)", cause: error.localizedDescription)
        }
    }
}
