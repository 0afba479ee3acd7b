import Foundation

/// Another program's text configuration file (Codex's `config.toml`), edited as lines so that what
/// lsm does not own stays byte for byte.
public struct LineFile: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The file's text, or `nil` when there is no file.
    public func read() throws(LsmError) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LsmError(.user, "\(path) is not UTF-8 text", hint: "fix the file, then run the command again")
        }
        return text
    }

    /// Replaces the file atomically (its folder made when missing), keeping an existing file's mode.
    public func write(_ text: String) throws(LsmError) {
        let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions]
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            if let mode { try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path) }
        } catch {
            throw LsmError(.user, "cannot write \(path)", cause: error.localizedDescription)
        }
    }

    public func remove() throws(LsmError) {
        do { try FileManager.default.removeItem(atPath: path) } catch {
            throw LsmError(.user, "cannot remove \(path)", cause: error.localizedDescription)
        }
    }

    /// Lines with their line breaks, so joining them gives the text back.
    public static func lines(_ text: String) -> [String] {
        var lines: [String] = []
        var current = ""
        for character in text {
            current.append(character)
            if character == "\n" || character == "\r\n" {
                lines.append(current)
                current = ""
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
