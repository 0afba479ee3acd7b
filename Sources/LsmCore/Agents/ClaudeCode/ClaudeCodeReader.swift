import Foundation

/// Turns Claude Code transcript lines (`projects/**/*.jsonl`) into normalized events.
///
/// Only what lsm shows is decoded: the envelope (`type`, `sessionId`, `cwd`, `gitBranch`, `timestamp`,
/// `requestId`, flags) and, per record type, the message's id, model, usage, tool calls and prompt
/// text. `shared/reference/agent-sessions.md` §2.1 documents the format and the accounting rules.
struct ClaudeCodeReader {
    /// The longest prompt kept for the timeline.
    static let promptLimit = 500
    /// How many bytes of a prompt or error text are decoded at most (enough for `promptLimit`).
    static let decodeLimit = 4096

    private var strings = StringCache()
    /// The facts of the session the last lines belonged to, moved into the batch when the session
    /// changes and by `finish`; nearly every line of a file is the same session's.
    private var facts: TranscriptBatch.SessionFacts?
    /// The last call key built, and the generations of the id and request id it was built from:
    /// the lines of one message share them, so the key is built once per message.
    private var lastKey: (key: String, message: Int, request: Int, hasRequest: Bool)?
    /// The offset of the line being read.
    private var position: UInt64 = 0

    /// Moves what is still held into `batch`; call after the last line.
    mutating func finish(into batch: inout TranscriptBatch) {
        if let facts { batch.sessions[facts.id] = facts }
        facts = nil
    }

    private mutating func updateFacts(
        _ id: String, _ batch: inout TranscriptBatch, _ change: (inout TranscriptBatch.SessionFacts) -> Void
    ) {
        if facts?.id != id { finish(into: &batch) }
        var current = facts ?? batch.sessions.removeValue(forKey: id) ?? TranscriptBatch.SessionFacts(id: id)
        facts = nil  // so `current` is the only reference and changes in place
        change(&current)
        facts = current
    }

    /// Reads one line, updating `state` and appending what it found to `batch`.
    mutating func read(
        line: UnsafeBufferPointer<UInt8>, at position: UInt64 = 0, state: inout ReaderState, into batch: inout TranscriptBatch
    ) {
        batch.lines += 1
        self.position = position
        guard var cursor = JSONCursor(line), cursor.peek() == UInt8(ascii: "{") else {
            if !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { batch.malformedLines += 1 }
            return
        }
        var envelope = Envelope()
        let parsed = cursor.forEachField { key, value in
            envelope.read(key: key, value: &value, strings: &strings)
        }
        guard parsed else {
            batch.malformedLines += 1
            return
        }
        if let id = envelope.sessionID { state.sessionID = id }
        // Conversation records (and old ones without a type that carry a message) belong to a session;
        // summaries, snapshots and progress records do not, apart from a title.
        let isConversation = envelope.type != .other || (envelope.typeMissing && envelope.message != nil)
        guard let sessionID = isConversation ? state.sessionID : envelope.sessionID else { return }
        if !isConversation {
            if let title = envelope.title { updateFacts(sessionID, &batch) { $0.title = title } }
            return
        }
        if let cwd = envelope.cwd { state.cwd = cwd }
        if let branch = envelope.branch { state.branch = branch.isEmpty ? nil : branch }
        if let version = envelope.version { state.agentVersion = version }
        let current = state
        updateFacts(sessionID, &batch) { facts in
            facts.saw(envelope.timestamp)
            facts.cwd = current.cwd ?? facts.cwd
            facts.branch = current.branch ?? facts.branch
            facts.agentVersion = current.agentVersion ?? facts.agentVersion
        }

        switch envelope.type {
        case .assistant:
            guard let message = envelope.message else { return }
            readAssistant(message: cursor.at(message), envelope: envelope, sessionID: sessionID, into: &batch)
        case .user:
            guard let message = envelope.message, !envelope.isSidechain else { return }
            readUser(message: cursor.at(message), envelope: envelope, sessionID: sessionID, into: &batch)
        case .system:
            readSystem(envelope: envelope, line: cursor, sessionID: sessionID, into: &batch)
        case .other:
            // Old transcripts carry usage on records without `type`; the message's role says assistant.
            if let message = envelope.message, envelope.typeMissing {
                readAssistant(message: cursor.at(message), envelope: envelope, sessionID: sessionID, into: &batch, requireRole: true)
            }
        }
    }

    private mutating func readAssistant(
        message: JSONCursor, envelope: Envelope, sessionID: String, into batch: inout TranscriptBatch, requireRole: Bool = false
    ) {
        var cursor = message
        var parsed = AssistantMessage()
        cursor.forEachField { key, value in parsed.read(key: key, value: &value) }
        if requireRole && !parsed.isAssistantRole { return }
        for tool in parsed.tools {
            batch.events.append(
                .init(
                    sessionID: sessionID, kind: .toolCall, timestamp: envelope.timestamp, text: tool.name, paths: tool.paths,
                    tokens: nil))
        }
        let model = parsed.model.map { strings.read($0, base: message.base, slot: .model) }
        if envelope.isAPIError || model == "<synthetic>" {
            if envelope.isAPIError {
                batch.events.append(
                    .init(
                        key: envelope.text(envelope.uuid, in: message), sessionID: sessionID, kind: .error,
                        timestamp: envelope.timestamp,
                        text: Self.shorten(
                            parsed.text.map {
                                JSONCursor.decodeString(
                                    base: message.base, range: $0.lowerBound..<min($0.upperBound, $0.lowerBound + Self.decodeLimit))
                            } ?? "API error")))
            }
            return
        }
        guard let usage = parsed.usage else { return }
        let key: String
        var messageID: String?
        if let idRange = parsed.id {
            let id = strings.read(idRange, base: message.base, slot: .messageID)
            let request = envelope.requestID.map { strings.read($0, base: message.base, slot: .requestID) } ?? ""
            messageID = id
            let generations = (
                strings.generations[StringCache.Slot.messageID.rawValue], strings.generations[StringCache.Slot.requestID.rawValue]
            )
            let hasRequest = envelope.requestID != nil
            if let last = lastKey, last.message == generations.0, last.request == generations.1, last.hasRequest == hasRequest {
                key = last.key
            } else {
                key = id + "|" + request
                lastKey = (key, generations.0, generations.1, hasRequest)
            }
        } else {
            // Without a message id a record is never de-duplicated: key it by its own uuid.
            key = "line|" + (envelope.text(envelope.uuid, in: message) ?? UUID().uuidString)
        }
        let call = TranscriptBatch.APICall(
            key: key, messageID: messageID, sessionID: sessionID, model: model ?? "unknown", timestamp: envelope.timestamp,
            usage: usage, isSidechain: envelope.isSidechain, contextWindow: nil, contextTokens: nil, position: position)
        batch.addCall(call)
    }

    private func readUser(message: JSONCursor, envelope: Envelope, sessionID: String, into batch: inout TranscriptBatch) {
        var cursor = message
        var prompt: String?
        var toolErrors: [String] = []
        let limit = Self.decodeLimit
        let base = cursor.base
        cursor.forEachField { key, value in
            guard key.equals("content") else { return }
            if value.peek() == UInt8(ascii: "\"") {
                prompt = value.readString(maxBytes: limit)
                return
            }
            value.forEachElement { block in
                var type: String?
                var text: String?
                var isError = false
                // Tool output is decoded only when it reports an error, and only its start.
                var output: Range<Int>?
                block.forEachField { key, value in
                    if key.equals("type") {
                        type = value.readString()
                    } else if key.equals("text") {
                        text = value.readString(maxBytes: limit)
                    } else if key.equals("is_error") {
                        isError = value.readBool() ?? false
                    } else if key.equals("content"), value.peek() == UInt8(ascii: "\"") {
                        output = value.readStringRange()
                    }
                }
                if type == "text", let text { prompt = prompt.map { $0 + "\n" + text } ?? text }
                if type == "tool_result", isError {
                    let text = output.map {
                        JSONCursor.decodeString(base: base, range: $0.lowerBound..<min($0.upperBound, $0.lowerBound + limit))
                    }
                    toolErrors.append(text ?? "tool error")
                }
            }
        }
        // Keyed by the record and block, so a resumed file replaying these results counts them once.
        let uuid = envelope.text(envelope.uuid, in: message)
        for (index, error) in toolErrors.enumerated() {
            batch.events.append(
                .init(
                    key: uuid.map { "\($0)#error\(index)" }, sessionID: sessionID, kind: .toolError, timestamp: envelope.timestamp,
                    text: Self.shorten(error)))
        }
        if let prompt, prompt.hasPrefix("[Request interrupted by user") {
            batch.events.append(
                .init(
                    key: envelope.text(envelope.uuid, in: message), sessionID: sessionID, kind: .interruption,
                    timestamp: envelope.timestamp,
                    text: Self.shorten(prompt)))
        } else if let prompt, !envelope.isMeta, !envelope.isCompactSummary, !prompt.isEmpty {
            batch.events.append(
                .init(
                    key: envelope.text(envelope.uuid, in: message), sessionID: sessionID, kind: .prompt, timestamp: envelope.timestamp,
                    text: Self.shorten(prompt)))
        }
    }

    private func readSystem(envelope: Envelope, line: JSONCursor, sessionID: String, into batch: inout TranscriptBatch) {
        switch envelope.subtype {
        case "compact_boundary":
            batch.events.append(
                .init(
                    key: envelope.text(envelope.uuid, in: line), sessionID: sessionID, kind: .compaction, timestamp: envelope.timestamp,
                    text: envelope.compactTrigger ?? "auto", tokens: envelope.compactPreTokens))
        case "api_error":
            batch.events.append(
                .init(
                    key: envelope.text(envelope.uuid, in: line), sessionID: sessionID, kind: .error, timestamp: envelope.timestamp,
                    text: "API error"))
        default:
            break
        }
    }

    /// The text without surrounding blanks, cut to `promptLimit` characters with an ellipsis.
    static func shorten(_ text: String) -> String {
        let isBlank: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isBlank($0) }), let last = scalars.lastIndex(where: { !isBlank($0) }) else {
            return ""
        }
        let trimmed = Substring(scalars[first...last])
        // UTF-8 bytes bound characters from above, so short texts need no counting.
        guard trimmed.utf8.count > promptLimit, trimmed.count > promptLimit else { return String(trimmed) }
        return String(trimmed.prefix(promptLimit)) + "…"
    }
}
