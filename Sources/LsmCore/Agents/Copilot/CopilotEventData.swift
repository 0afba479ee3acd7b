import Foundation

/// The fields lsm reads from the `data` of a Copilot CLI event (`CopilotEventsReader`).
struct CopilotEventData {
    var sessionID: String?
    var version: String?
    var startTime: Date?
    var cwd: String?
    var gitRoot: String?
    var branch: String?
    var headCommit: String?
    var newModel: String?
    var content: String?
    var toolName: String?
    var toolCallID: String?
    var paths: [String] = []
    /// A completed tool call that did not succeed (`success: false`, or a `result_type` other than
    /// `success`).
    var failed = false
    var errorText: String?

    mutating func read(key: JSONKey, value: inout JSONCursor) {
        if key.equals("sessionId") {
            sessionID = value.readString()
        } else if key.equals("copilotVersion") {
            version = value.readString()
        } else if key.equals("startTime") {
            startTime = value.readTimestamp()
        } else if key.equals("context") {
            value.forEachField { key, value in
                if key.equals("cwd") {
                    cwd = value.readString()
                } else if key.equals("gitRoot") {
                    gitRoot = value.readString()
                } else if key.equals("branch") {
                    branch = value.readString()
                } else if key.equals("headCommit") {
                    headCommit = value.readString()
                }
            }
        } else if key.equals("newModel") {
            newModel = value.readString()
        } else if key.equals("content") {
            content = value.peek() == UInt8(ascii: "\"") ? value.readString(maxBytes: ClaudeCodeReader.decodeLimit) : nil
        } else if key.equals("toolName") {
            toolName = value.readString()
        } else if key.equals("toolCallId") {
            toolCallID = value.readString()
        } else if key.equals("arguments") {
            value.forEachField { key, value in
                guard key.equals("path") || key.equals("filePath") || key.equals("file_path"),
                    let path = value.readString(maxBytes: 4096), path.hasPrefix("/")
                else { return }
                paths.append(path)
            }
        } else if key.equals("success") {
            failed = failed || value.readBool() == false
        } else if key.equals("result") {
            readResult(&value)
        } else if key.equals("error"), value.peek() != UInt8(ascii: "n") {
            // `"error": null` is no error.
            failed = true
            readError(&value)
        } else if key.equals("message") {
            errorText = value.readString(maxBytes: ClaudeCodeReader.decodeLimit)
        }
    }

    private mutating func readResult(_ value: inout JSONCursor) {
        value.forEachField { key, value in
            if key.equals("result_type") || key.equals("resultType") {
                let type = value.readString()
                failed = failed || (type != nil && type != "success")
            } else if key.equals("error") {
                readError(&value)
            }
        }
    }

    private mutating func readError(_ value: inout JSONCursor) {
        if value.peek() == UInt8(ascii: "\"") {
            errorText = value.readString(maxBytes: ClaudeCodeReader.decodeLimit)
            return
        }
        value.forEachField { key, value in
            if key.equals("message") { errorText = value.readString(maxBytes: ClaudeCodeReader.decodeLimit) }
        }
    }
}
