import Foundation

/// Turns the Copilot CLI's event log (`~/.copilot/session-state/<id>/events.jsonl`) into normalized
/// events.
///
/// Each line is `{type, data, id, timestamp, parentId}`. `session.start` (and `session.resume`)
/// carry the session id, the CLI version and the git context at start (`cwd`, `gitRoot`, `branch`,
/// `headCommit`); `session.model_change` names the model; `user.message` is a prompt;
/// `tool.execution_start`/`_complete` are tool calls and their outcome. The log records no token
/// usage (the CLI reports tokens only through OpenTelemetry export).
struct CopilotEventsReader {
    /// Tool names by call id, to name a failed call.
    private var tools: [String: String] = [:]

    mutating func read(line: UnsafeBufferPointer<UInt8>, state: inout ReaderState, into batch: inout TranscriptBatch) {
        batch.lines += 1
        guard var cursor = JSONCursor(line), cursor.peek() == UInt8(ascii: "{") else {
            if !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { batch.malformedLines += 1 }
            return
        }
        var type: String?
        var timestamp: Date?
        var id: String?
        var data: Int?
        let parsed = cursor.forEachField { key, value in
            if key.equals("type") {
                type = value.readString()
            } else if key.equals("timestamp") {
                timestamp = value.readTimestamp()
            } else if key.equals("id") {
                id = value.readString()
            } else if key.equals("data") {
                data = value.position
                value.skipValue()
            }
        }
        guard parsed, let type else {
            batch.malformedLines += 1
            return
        }
        var fields = CopilotEventData()
        if let data {
            var body = cursor.at(data)
            body.forEachField { key, value in fields.read(key: key, value: &value) }
        }
        if type == "session.start" || type == "session.resume" {
            state.sessionID = fields.sessionID ?? state.sessionID
            state.cwd = fields.cwd ?? fields.gitRoot ?? state.cwd
            state.branch = fields.branch ?? state.branch
            state.agentVersion = fields.version ?? state.agentVersion
        }
        if let model = fields.newModel { state.model = model }
        guard let session = state.sessionID else { return }
        let current = state
        batch.update(session) { facts in
            facts.saw(timestamp)
            facts.saw(fields.startTime)
            facts.cwd = current.cwd ?? facts.cwd
            facts.branch = current.branch ?? facts.branch
            facts.agentVersion = current.agentVersion ?? facts.agentVersion
            facts.model = current.model ?? facts.model
        }
        let key = id.map { "\(session)/\($0)" }
        switch type {
        case "user.message":
            guard let text = fields.content.map(ClaudeCodeReader.shorten), !text.isEmpty else { return }
            batch.events.append(.init(key: key, sessionID: session, kind: .prompt, timestamp: timestamp, text: text))
        case "tool.execution_start":
            guard let name = fields.toolName else { return }
            if let call = fields.toolCallID { tools[call] = name }
            batch.events.append(.init(sessionID: session, kind: .toolCall, timestamp: timestamp, text: name, paths: fields.paths))
        case "tool.execution_complete":
            guard fields.failed else { return }
            let name = fields.toolCallID.flatMap { tools[$0] } ?? "tool"
            let text = ClaudeCodeReader.shorten(fields.errorText ?? name + " failed")
            batch.events.append(.init(key: key, sessionID: session, kind: .toolError, timestamp: timestamp, text: text))
        case "session.error":
            let text = ClaudeCodeReader.shorten(fields.errorText ?? fields.content ?? "error")
            batch.events.append(.init(key: key, sessionID: session, kind: .error, timestamp: timestamp, text: text))
        default:
            break
        }
    }
}
