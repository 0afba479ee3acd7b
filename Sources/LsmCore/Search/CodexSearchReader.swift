import Foundation

/// Codex rollout lines as search sees them: `response_item` messages of the user (without the
/// injected environment and instructions) and the assistant, function and custom tool calls (name,
/// command, the files a patch touches), and tool outputs that report a non-zero exit code.
struct CodexSearchReader: SearchLineReader {
    var sessionID: String?

    mutating func read(line: UnsafeBufferPointer<UInt8>, into messages: inout [SearchMessage]) {
        guard var cursor = JSONCursor(line), cursor.peek() == UInt8(ascii: "{") else { return }
        var type: String?
        var timestamp: Date?
        var payload: Int?
        let parsed = cursor.forEachField { key, value in
            if key.equals("type") {
                type = value.readString(maxBytes: 32)
            } else if key.equals("timestamp") {
                timestamp = value.readTimestamp()
            } else if key.equals("payload") {
                payload = value.position
                value.skipValue()
            }
        }
        guard parsed, let type, let payload else { return }
        var body = cursor.at(payload)
        if type == "session_meta" {
            // A fork starts with its own session_meta, then its parent's: the first one names the file's session.
            guard sessionID == nil else { return }
            body.forEachField { key, value in
                if key.equals("id") { sessionID = value.readString(maxBytes: 256) }
            }
            return
        }
        guard type == "response_item" else { return }
        var item = ResponseItem()
        body.forEachField { key, value in item.read(key: key, value: &value) }
        var message = SearchMessage(sessionID: sessionID, role: .user, kind: .prompt, timestamp: timestamp, text: "")
        switch item.type {
        case "message":
            guard let text = item.text else { return }
            if item.role == "assistant" {
                message.role = .assistant
                message.kind = .text
            } else if item.role != "user" || Self.isInjected(text) {
                return
            }
            ClaudeSearchReader.add(text, message, to: &messages)
        case "function_call", "custom_tool_call", "local_shell_call":
            message.role = .assistant
            message.kind = .tool
            message.tool = item.name ?? item.type
            let arguments = item.arguments ?? ""
            var paths: [String] = []
            var described = arguments
            if arguments.first == "{" {
                var copy = arguments
                described = copy.withUTF8 { buffer in
                    guard var cursor = JSONCursor(buffer) else { return "" }
                    var patch: String?
                    let start = cursor.position
                    cursor.forEachField { key, value in
                        if key.equals("patch") || key.equals("input") { patch = value.readString(maxBytes: SearchMessage.textLimit) }
                    }
                    var again = cursor.at(start)
                    let input = again.readToolInput(paths: &paths)
                    if let patch { paths += Self.patchPaths(patch) }
                    return input
                }
            } else {
                paths = Self.patchPaths(arguments)
                if !paths.isEmpty { described = "" }
            }
            message.paths = paths
            message.text = String(described.prefix(SearchMessage.inputLimit))
            messages.append(message)
        case "function_call_output", "custom_tool_call_output":
            guard let output = item.output, Self.reportsFailure(output) else { return }
            message.role = .tool
            message.kind = .toolError
            ClaudeSearchReader.add(output, message, to: &messages)
        default:
            return
        }
    }

    /// Context Codex adds as user messages: the environment, AGENTS.md and other instructions.
    static func isInjected(_ text: String) -> Bool {
        let start = text.drop { $0.isWhitespace }
        return start.hasPrefix("<environment_context>") || start.hasPrefix("<user_instructions>") || start.hasPrefix("# AGENTS.md")
            || start.hasPrefix("<permissions") || start.hasPrefix("<INSTRUCTIONS>")
    }

    /// The files an `apply_patch` body adds, updates, deletes or moves.
    static func patchPaths(_ patch: String) -> [String] {
        let markers = ["*** Update File: ", "*** Add File: ", "*** Delete File: ", "*** Move to: "]
        var paths: [String] = []
        for line in patch.split(separator: "\n") {
            for marker in markers where line.hasPrefix(marker) {
                paths.append(String(line.dropFirst(marker.count)).trimmingCharacters(in: .whitespaces))
            }
        }
        return paths
    }

    /// Whether a tool output says the command failed: a JSON `exit_code`, or an `Exit code: N` line, not 0.
    static func reportsFailure(_ output: String) -> Bool {
        for marker in ["\"exit_code\":", "Exit code: ", "exit code "] {
            guard let range = output.range(of: marker) else { continue }
            let digits = output[range.upperBound...].drop { $0 == " " }.prefix { $0.isNumber || $0 == "-" }
            if let code = Int(digits) { return code != 0 }
        }
        return false
    }

    private struct ResponseItem {
        var type: String?
        var role: String?
        var name: String?
        var text: String?
        var arguments: String?
        var output: String?

        mutating func read(key: JSONKey, value: inout JSONCursor) {
            if key.equals("type") {
                type = value.readString(maxBytes: 64)
            } else if key.equals("role") {
                role = value.readString(maxBytes: 32)
            } else if key.equals("name") {
                name = value.readString(maxBytes: 256)
            } else if key.equals("content") {
                text = value.readContentText(limit: SearchMessage.textLimit)
            } else if key.equals("arguments") || key.equals("input") {
                arguments = value.readString(maxBytes: 64 << 10)
            } else if key.equals("action") {
                var paths: [String] = []
                arguments = value.readToolInput(paths: &paths)
            } else if key.equals("output") {
                if value.peek() == UInt8(ascii: "\"") {
                    output = value.readString(maxBytes: SearchMessage.textLimit)
                } else {
                    output = value.readContentText(limit: SearchMessage.textLimit)
                }
            }
        }
    }
}
