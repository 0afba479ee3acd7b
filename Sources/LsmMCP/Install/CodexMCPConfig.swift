import Foundation
import LsmCore

/// The `[mcp_servers.lsm]` table of Codex's `config.toml`, edited as lines so that every other table,
/// comment and blank line stays byte for byte: install appends the table, uninstall removes exactly it
/// (and its subtables, such as `[mcp_servers.lsm.env]`).
struct CodexMCPConfig {
    let path: String

    static let table = """
        [mcp_servers.lsm]
        command = "\(MCPRegistration.command)"
        args = [\(MCPRegistration.arguments.map { "\"\($0)\"" }.joined(separator: ", "))]

        """

    func install() throws(LsmError) -> Bool {
        let text = try LineFile(path: path).read() ?? ""
        let lines = LineFile.lines(text)
        if let block = Self.block(in: lines) {
            guard Self.isOurs(lines[block]) else { throw MCPRegistration.foreignEntry(path) }
            return false
        }
        if Self.definesLsmElsewhere(lines) { throw MCPRegistration.foreignEntry(path) }
        var updated = text
        if !updated.isEmpty {
            if !updated.hasSuffix("\n") { updated += "\n" }
            updated += "\n"
        }
        try LineFile(path: path).write(updated + Self.table)
        return true
    }

    func uninstall() throws(LsmError) -> Bool {
        guard let text = try LineFile(path: path).read() else { return false }
        var lines = LineFile.lines(text)
        guard let block = Self.block(in: lines) else { return false }
        guard Self.isOurs(lines[block]) else { throw MCPRegistration.foreignEntry(path) }
        var range = block
        // The blank line install put before the table goes with it.
        if range.lowerBound > 0, lines[range.lowerBound - 1].trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
            range.upperBound == lines.count || !lines[range.upperBound - 1].trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        {
            range = (range.lowerBound - 1)..<range.upperBound
        }
        lines.removeSubrange(range)
        let updated = lines.joined()
        if updated.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            try LineFile(path: path).remove()
        } else {
            try LineFile(path: path).write(updated)
        }
        return true
    }

    /// The table's name when `line` is a table header (`[a.b]`, `[[a]]`).
    static func header(_ line: String) -> String? {
        var trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if let hash = trimmed.firstIndex(of: "#"), !trimmed[..<hash].contains("\"") { trimmed = String(trimmed[..<hash]) }
        trimmed = trimmed.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("["), trimmed.hasSuffix("]") else { return nil }
        let name = trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return name.split(separator: ".").map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }
        .joined(separator: ".")
    }

    /// The lines of `[mcp_servers.lsm]` and of its subtables (which follow it), up to the next other table.
    static func block(in lines: [String]) -> Range<Int>? {
        guard let start = lines.firstIndex(where: { header($0) == "mcp_servers.lsm" }) else { return nil }
        var end = start + 1
        while end < lines.count {
            if let name = header(lines[end]), !name.hasPrefix("mcp_servers.lsm.") { break }
            end += 1
        }
        // Trailing blank lines belong to what follows, except at the end of the file.
        while end > start + 1, end < lines.count, lines[end - 1].trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { end -= 1 }
        return start..<end
    }

    /// Whether the table runs `git lsm mcp`.
    static func isOurs(_ lines: ArraySlice<String>) -> Bool {
        let compact = lines.map { $0.filter { !$0.isWhitespace } }
        return compact.contains("command=\"git\"") && compact.contains("args=[\"lsm\",\"mcp\"]")
    }

    /// `lsm` defined some other way: `lsm = {…}` under `[mcp_servers]`, or `mcp_servers.lsm…` keys.
    static func definesLsmElsewhere(_ lines: [String]) -> Bool {
        var table = ""
        for line in lines {
            if let name = header(line) {
                table = name
                continue
            }
            let compact = line.filter { !$0.isWhitespace }
            if table == "mcp_servers", compact.hasPrefix("lsm=") || compact.hasPrefix("lsm.") || compact.hasPrefix("\"lsm\"") {
                return true
            }
            if table.isEmpty, compact.hasPrefix("mcp_servers.lsm") || compact.hasPrefix("mcp_servers={") && compact.contains("lsm") {
                return true
            }
        }
        return false
    }
}
