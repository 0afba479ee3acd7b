import Foundation
import LsmCore

/// The `mcpServers` object of a JSON configuration (Claude Code's `.mcp.json` and `~/.claude.json`,
/// Cursor's `mcp.json`). Other keys and servers are kept; the file is written back with sorted keys.
struct JSONMCPConfig {
    let path: String
    /// Claude Code's entries carry `"type": "stdio"`; Cursor's do not.
    let stdioType: Bool

    var entry: [String: Any] {
        var entry: [String: Any] = ["command": MCPRegistration.command, "args": MCPRegistration.arguments]
        if stdioType { entry["type"] = "stdio" }
        return entry
    }

    /// Adds lsm's entry; false when it was already there.
    func install() throws(LsmError) -> Bool {
        var configuration = try read() ?? [:]
        var servers = try serversObject(configuration)
        if let existing = servers[MCPRegistration.serverName] {
            guard Self.isOurs(existing) else { throw MCPRegistration.foreignEntry(path) }
            return false
        }
        servers[MCPRegistration.serverName] = entry
        configuration["mcpServers"] = servers
        try write(configuration)
        return true
    }

    /// Removes lsm's entry; false when there was none. The file goes when nothing else is left in it.
    func uninstall() throws(LsmError) -> Bool {
        guard var configuration = try read() else { return false }
        var servers = try serversObject(configuration)
        guard let existing = servers[MCPRegistration.serverName] else { return false }
        guard Self.isOurs(existing) else { throw MCPRegistration.foreignEntry(path) }
        servers[MCPRegistration.serverName] = nil
        configuration["mcpServers"] = servers.isEmpty ? nil : servers
        if configuration.isEmpty {
            do { try FileManager.default.removeItem(atPath: path) } catch {
                throw LsmError(.user, "cannot remove \(path)", cause: error.localizedDescription)
            }
        } else {
            try write(configuration)
        }
        return true
    }

    /// An entry that runs `git lsm mcp` (or `git-lsm mcp`, `lsm mcp`).
    static func isOurs(_ entry: Any) -> Bool {
        guard let entry = entry as? [String: Any], let command = entry["command"] as? String else { return false }
        let arguments = (entry["args"] as? [String]) ?? []
        let name = (command as NSString).lastPathComponent
        return (name == "git" && arguments == MCPRegistration.arguments) || ((name == "git-lsm" || name == "lsm") && arguments == ["mcp"])
    }

    private func serversObject(_ configuration: [String: Any]) throws(LsmError) -> [String: Any] {
        guard let servers = configuration["mcpServers"] else { return [:] }
        guard let object = servers as? [String: Any] else {
            throw LsmError(.user, "\(path): \"mcpServers\" is not an object", hint: "fix the file, then run the command again")
        }
        return object
    }

    private func read() throws(LsmError) -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return [:] }
        guard let object = try? JSONSerialization.jsonObject(with: data), let configuration = object as? [String: Any] else {
            throw LsmError(.user, "\(path) is not a JSON object", hint: "fix the file, then run the command again")
        }
        return configuration
    }

    private func write(_ configuration: [String: Any]) throws(LsmError) {
        do {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            var data = try JSONSerialization.data(
                withJSONObject: configuration, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            data.append(0x0A)
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw LsmError(.user, "cannot write \(path)", cause: error.localizedDescription)
        }
    }
}
