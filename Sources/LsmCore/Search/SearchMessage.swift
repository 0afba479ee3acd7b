import Foundation

/// One searchable message read from a transcript, before it is tied to a session key.
struct SearchMessage: Equatable {
    enum Role: String {
        case user, assistant, tool
    }

    enum Kind: String {
        case prompt, text, tool
        case toolError = "tool-error"
    }

    /// The session the record names, or `nil` when the file's session applies.
    var sessionID: String?
    var role: Role
    var kind: Kind
    var timestamp: Date?
    var tool: String?
    var paths: [String] = []
    var text: String

    /// Longest text kept per message: long assistant answers and tool errors are indexed by their
    /// start, which keeps the index small.
    static let textLimit = 16 << 10
    /// Longest string decoded from a tool's input.
    static let inputLimit = 2 << 10
}

/// Reads one agent's transcript lines into `SearchMessage`s.
protocol SearchLineReader {
    /// The session the next lines belong to when they do not say; carried across runs.
    var sessionID: String? { get set }
    mutating func read(line: UnsafeBufferPointer<UInt8>, into messages: inout [SearchMessage])
}

extension JSONCursor {
    /// Decodes the text of a message `content`: a string, or the `text` of an array of blocks.
    mutating func readContentText(limit: Int) -> String? {
        if peek() == UInt8(ascii: "\"") { return readString(maxBytes: limit) }
        var texts: [String] = []
        forEachElement { block in
            if block.peek() == UInt8(ascii: "\"") {
                if let text = block.readString(maxBytes: limit) { texts.append(text) }
                return
            }
            block.forEachField { key, value in
                if key.equals("text"), let text = value.readString(maxBytes: limit) { texts.append(text) }
            }
        }
        return texts.isEmpty ? nil : texts.joined(separator: "\n")
    }

    /// The searchable strings of a tool's input object: what a user would look for (a command, a
    /// pattern, a description, a URL), and the file paths it names. File contents are left out.
    mutating func readToolInput(paths: inout [String]) -> String {
        var parts: [String] = []
        forEachField { key, value in
            if key.equals("file_path") || key.equals("notebook_path") || key.equals("path") || key.equals("filePath") {
                if let path = value.readString(maxBytes: 4096) { paths.append(path) }
            } else if key.equals("command") || key.equals("cmd") {
                if value.peek() == UInt8(ascii: "[") {
                    var words: [String] = []
                    value.forEachElement { element in
                        if let word = element.readString(maxBytes: SearchMessage.inputLimit) { words.append(word) }
                    }
                    parts.append(words.joined(separator: " "))
                } else if let command = value.readString(maxBytes: SearchMessage.inputLimit) {
                    parts.append(command)
                }
            } else if key.equals("description") || key.equals("pattern") || key.equals("query") || key.equals("url")
                || key.equals("prompt") || key.equals("glob") || key.equals("explanation")
            {
                if let text = value.readString(maxBytes: SearchMessage.inputLimit) { parts.append(text) }
            }
        }
        return parts.joined(separator: "\n")
    }
}
