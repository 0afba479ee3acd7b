import Foundation

/// Streams the messages of one transcript file: prompts, answers, tool calls and tool errors, each
/// with the byte offset of its line (or its ordinal, for agents whose files are not lines). The
/// full-text index and exports read transcripts through it, so both see the same conversation.
enum ConversationReader {
    /// Calls `body` with each message of `file` from `offset` on, in file order; returns the offset
    /// the next read continues from. `sessionID` is the file's session, carried across reads.
    static func read(
        _ file: TranscriptFile, from offset: UInt64, sessionID: inout String?, _ body: (Int64, SearchMessage) -> Void
    ) throws(TranscriptReadError) -> UInt64 {
        switch file.agent {
        case .claudeCode:
            var reader = ClaudeSearchReader(sessionID: sessionID)
            defer { sessionID = reader.sessionID }
            return try scan(file, from: offset, reader: &reader, body)
        case .codex:
            var reader = CodexSearchReader(sessionID: sessionID)
            defer { sessionID = reader.sessionID }
            return try scan(file, from: offset, reader: &reader, body)
        default:
            return try readEvents(file, from: offset, sessionID: &sessionID, body)
        }
    }

    private static func scan<Reader: SearchLineReader>(
        _ file: TranscriptFile, from offset: UInt64, reader: inout Reader, _ body: (Int64, SearchMessage) -> Void
    ) throws(TranscriptReadError) -> UInt64 {
        var found: [SearchMessage] = []
        let outcome = try LineScanner(path: file.path).scanWithOffsets(from: offset) { line, position in
            found.removeAll(keepingCapacity: true)
            reader.read(line: line, into: &found)
            for message in found { body(Int64(position), message) }
        }
        return outcome.endOffset
    }

    /// Agents without a search reader of their own: the prompts, tool calls and tool errors their
    /// session reader finds (the assistant's text is not read for them).
    private static func readEvents(
        _ file: TranscriptFile, from offset: UInt64, sessionID: inout String?, _ body: (Int64, SearchMessage) -> Void
    ) throws(TranscriptReadError) -> UInt64 {
        var state = ReaderState(sessionID: sessionID ?? file.fallbackSessionID)
        var batch = TranscriptBatch()
        let end = try TranscriptSources.source(for: file).read(file, from: offset, state: &state, into: &batch)
        sessionID = state.sessionID
        for (ordinal, event) in batch.events.enumerated() {
            var message = SearchMessage(
                sessionID: event.sessionID, role: .user, kind: .prompt, timestamp: event.timestamp, text: event.text)
            switch event.kind {
            case .prompt: break
            case .toolCall:
                message.role = .assistant
                message.kind = .tool
                message.tool = event.text
                message.paths = event.paths
                message.text = ""
            case .toolError:
                message.role = .tool
                message.kind = .toolError
            case .compaction, .error, .interruption:
                continue
            }
            body(Int64(offset) + Int64(ordinal), message)
        }
        return end
    }
}
