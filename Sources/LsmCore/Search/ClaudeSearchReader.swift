import Foundation

/// Claude Code lines as search sees them: the user's prompts (not injected context), the assistant's
/// text, its tool calls (name, paths, command) and the tool results marked as errors.
struct ClaudeSearchReader: SearchLineReader {
    var sessionID: String?

    mutating func read(line: UnsafeBufferPointer<UInt8>, into messages: inout [SearchMessage]) {
        guard var cursor = JSONCursor(line), cursor.peek() == UInt8(ascii: "{") else { return }
        var type: String?
        var session: String?
        var timestamp: Date?
        var message: Int?
        var skip = false
        let parsed = cursor.forEachField { key, value in
            switch key.range.count {
            case 4 where key.equals("type"): type = value.readString(maxBytes: 32)
            case 9 where key.equals("sessionId"): session = value.readString(maxBytes: 256)
            case 9 where key.equals("timestamp"): timestamp = value.readTimestamp()
            case 7 where key.equals("message"):
                message = value.position
                value.skipValue()
            case 6 where key.equals("isMeta"): skip = skip || value.readBool() == true
            case 16 where key.equals("isCompactSummary"): skip = skip || value.readBool() == true
            default: break
            }
        }
        guard parsed, !skip, let message, let type, type == "user" || type == "assistant" else { return }
        if let session { sessionID = session }
        var body = cursor.at(message)
        let base = SearchMessage(sessionID: session ?? sessionID, role: .user, kind: .prompt, timestamp: timestamp, text: "")
        body.forEachField { key, value in
            guard key.equals("content") else { return }
            if value.peek() == UInt8(ascii: "\"") {
                if type == "user", let text = value.readString(maxBytes: SearchMessage.textLimit) { Self.add(text, base, to: &messages) }
                return
            }
            value.forEachElement { block in
                Self.readBlock(&block, isUser: type == "user", base: base, into: &messages)
            }
        }
    }

    private static func readBlock(_ block: inout JSONCursor, isUser: Bool, base: SearchMessage, into messages: inout [SearchMessage]) {
        var blockType: String?
        var text: String?
        var name: String?
        var input: Int?
        var content: Int?
        var isError = false
        block.forEachField { key, value in
            if key.equals("type") {
                blockType = value.readString(maxBytes: 32)
            } else if key.equals("text") {
                text = value.readString(maxBytes: SearchMessage.textLimit)
            } else if key.equals("name") {
                name = value.readString(maxBytes: 256)
            } else if key.equals("input") {
                input = value.position
                value.skipValue()
            } else if key.equals("content") {
                content = value.position
                value.skipValue()
            } else if key.equals("is_error") {
                isError = value.readBool() == true
            }
        }
        var message = base
        switch blockType {
        case "text":
            guard let text else { return }
            if !isUser {
                message.role = .assistant
                message.kind = .text
            }
            add(text, message, to: &messages)
        case "tool_use":
            guard !isUser, let name else { return }
            message.role = .assistant
            message.kind = .tool
            message.tool = name
            var paths: [String] = []
            var described = ""
            if let input {
                var cursor = block.at(input)
                described = cursor.readToolInput(paths: &paths)
            }
            message.paths = paths
            message.text = described
            messages.append(message)
        case "tool_result":
            guard isUser, isError, let content else { return }
            var cursor = block.at(content)
            message.role = .tool
            message.kind = .toolError
            add(cursor.readContentText(limit: SearchMessage.textLimit) ?? "error", message, to: &messages)
        default:
            return
        }
    }

    static func add(_ text: String, _ base: SearchMessage, to messages: inout [SearchMessage]) {
        guard text.contains(where: { !$0.isWhitespace }) else { return }
        var message = base
        message.text = text
        messages.append(message)
    }
}
