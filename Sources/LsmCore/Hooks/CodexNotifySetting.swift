import Foundation

/// lsm's `notify` program in Codex's `config.toml`: Codex runs it after every turn with the turn as
/// its last argument (`git lsm agent-event codex <json>`). Codex has one `notify` for the whole user,
/// so lsm sets it only where there is none and never replaces another program's; the file is edited
/// as lines, so every other line stays byte for byte.
public struct CodexNotifySetting: Sendable {
    public enum State: String, Encodable, Sendable, Equatable {
        /// `notify` runs lsm.
        case installed
        /// Codex is there and has no `notify`.
        case absent
        /// `notify` runs another program; lsm leaves it alone.
        case otherProgram = "other-program"
        /// No Codex home on this machine (`CODEX_HOME`, else `~/.codex`).
        case noCodex = "no-codex"
    }

    /// The line install writes, as the file's first line (top-level keys must come before any table).
    static let line = #"notify = ["git", "lsm", "agent-event", "codex"]"#

    /// Codex's home folder.
    public let codexHome: String

    public init(codexHome: String) {
        self.codexHome = codexHome
    }

    public var path: String { codexHome + "/config.toml" }

    public func state() -> State {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: codexHome, isDirectory: &isDirectory), isDirectory.boolValue else {
            return .noCodex
        }
        guard let text = try? LineFile(path: path).read() else { return .absent }
        let lines = LineFile.lines(text)
        guard let index = Self.notifyLine(in: lines) else { return .absent }
        return Self.isOurs(lines[index]) ? .installed : .otherProgram
    }

    /// Throws what `install` would refuse, writing nothing: a `config.toml` that is not UTF-8 text.
    func check() throws(LsmError) {
        if state() == .absent { _ = try LineFile(path: path).read() }
    }

    /// Sets `notify` when Codex is there without one; returns whether the file changed.
    func install() throws(LsmError) -> Bool {
        guard state() == .absent else { return false }
        let file = LineFile(path: path)
        try file.write(Self.line + "\n" + (try file.read() ?? ""))
        return true
    }

    /// Removes lsm's `notify` line (and the file, when nothing else is left in it); returns whether
    /// the file changed.
    func uninstall() throws(LsmError) -> Bool {
        let file = LineFile(path: path)
        guard state() == .installed, let text = try file.read() else { return false }
        var lines = LineFile.lines(text)
        guard let index = Self.notifyLine(in: lines) else { return false }
        lines.remove(at: index)
        let updated = lines.joined()
        if updated.isEmpty { try file.remove() } else { try file.write(updated) }
        return true
    }

    /// The index of the top-level `notify` key's line: before the first table header.
    static func notifyLine(in lines: [String]) -> Int? {
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("[") { return nil }
            for key in ["notify", "\"notify\"", "'notify'"] where trimmed.hasPrefix(key) {
                if trimmed.dropFirst(key.count).trimmingCharacters(in: .whitespaces).hasPrefix("=") { return index }
            }
        }
        return nil
    }

    static func isOurs(_ line: String) -> Bool {
        line.trimmingCharacters(in: .whitespacesAndNewlines) == Self.line
    }
}
