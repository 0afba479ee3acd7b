import Foundation

/// One message record of a Gemini CLI chat (`chatRecordingTypes.ts MessageRecord`), reduced to what
/// lsm shows: who wrote it, the prompt or error text, the tools it called and its tokens.
struct GeminiMessage: Equatable {
    /// A tool call of a `gemini` message.
    struct ToolCall: Equatable {
        var name: String
        var paths: [String]
        var failed: Bool
    }

    var id: String?
    var type: String?
    var timestamp: Date?
    var text: String?
    var model: String?
    var toolCalls: [ToolCall] = []
    var tokens: GeminiTokens?

    /// Argument names whose value is a file or folder a tool works on.
    private static func isPathArgument(_ key: JSONKey) -> Bool {
        key.equals("file_path") || key.equals("absolute_path") || key.equals("path") || key.equals("dir_path")
            || key.equals("directory")
    }

    /// Reads one field of a message record; returns whether the key is a message field.
    @discardableResult
    mutating func read(key: JSONKey, value: inout JSONCursor) -> Bool {
        if key.equals("id") {
            id = value.readString()
        } else if key.equals("type") {
            type = value.readString()
        } else if key.equals("timestamp") {
            timestamp = value.readTimestamp()
        } else if key.equals("content") {
            text = Self.readText(&value)
        } else if key.equals("model") {
            model = value.readString()
        } else if key.equals("tokens") {
            var tokens = GeminiTokens()
            let parsed = value.forEachField { key, value in tokens.read(key: key, value: &value) }
            self.tokens = parsed ? tokens : nil
        } else if key.equals("toolCalls") {
            value.forEachElement { element in
                if let call = Self.readToolCall(&element) { toolCalls.append(call) }
            }
        } else {
            return false
        }
        return true
    }

    private static func readToolCall(_ cursor: inout JSONCursor) -> ToolCall? {
        var name: String?
        var paths: [String] = []
        var status: String?
        cursor.forEachField { key, value in
            if key.equals("name") {
                name = value.readString()
            } else if key.equals("status") {
                status = value.readString()
            } else if key.equals("args") {
                value.forEachField { key, value in
                    guard isPathArgument(key), let path = value.readString(maxBytes: 4096), path.hasPrefix("/") else { return }
                    paths.append(path)
                }
            }
        }
        guard let name else { return nil }
        return ToolCall(name: name, paths: paths, failed: status == "error")
    }

    /// The text of `content`: a string, one `{text}` part, or a list of parts (texts joined).
    private static func readText(_ value: inout JSONCursor) -> String? {
        let limit = ClaudeCodeReader.decodeLimit
        switch value.peek() {
        case UInt8(ascii: "\""):
            return value.readString(maxBytes: limit)
        case UInt8(ascii: "{"):
            var text: String?
            value.forEachField { key, value in
                if key.equals("text") { text = value.readString(maxBytes: limit) }
            }
            return text
        case UInt8(ascii: "["):
            var texts: [String] = []
            value.forEachElement { part in
                if part.peek() == UInt8(ascii: "\"") {
                    if let text = part.readString(maxBytes: limit) { texts.append(text) }
                    return
                }
                part.forEachField { key, value in
                    if key.equals("text"), let text = value.readString(maxBytes: limit) { texts.append(text) }
                }
            }
            return texts.isEmpty ? nil : texts.joined(separator: "\n")
        default:
            return nil
        }
    }
}
