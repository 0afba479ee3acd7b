import Foundation

/// A Gemini CLI chat as its records leave it: the metadata after every `$set`, and the messages in
/// order, each as its last record wrote it, without those a `$rewindTo` dropped.
///
/// Gemini CLI appends a message again when it updates it (tokens and tool results arrive later),
/// and a rewind appends `{"$rewindTo": id}`; only replaying the whole file gives the conversation,
/// which is why the source reads a changed file again from the start.
struct GeminiConversation {
    var metadata = GeminiMetadata()
    /// Message ids in the order they first appeared.
    private(set) var order: [String] = []
    private(set) var messages: [String: GeminiMessage] = [:]

    /// Records a message; a later record of the same id replaces it in place.
    mutating func record(_ message: GeminiMessage) {
        guard let id = message.id else { return }
        if messages.updateValue(message, forKey: id) == nil { order.append(id) }
    }

    /// Drops the message `id` and every later one; an unknown id drops them all, as Gemini CLI does.
    mutating func rewind(to id: String) {
        let start = order.firstIndex(of: id) ?? 0
        for dropped in order[start...] { messages.removeValue(forKey: dropped) }
        order.removeSubrange(start...)
    }

    /// The surviving messages, in order.
    var orderedMessages: [GeminiMessage] { order.compactMap { messages[$0] } }

    /// Appends the conversation's session facts, calls and events to `batch`.
    func emit(path: String, state: inout ReaderState, into batch: inout TranscriptBatch) {
        let session = metadata.sessionID ?? state.sessionID ?? TranscriptLocator.geminiSessionID(path)
        state.sessionID = session
        let messages = orderedMessages
        let project = GeminiProject(chatFile: path)
        let candidates = (metadata.directories ?? []) + messages.flatMap { $0.toolCalls.flatMap(\.paths) }
        state.cwd = project?.root(hash: metadata.projectHash, candidates: candidates) ?? state.cwd
        batch.update(session) { facts in
            facts.cwd = state.cwd ?? facts.cwd
            facts.title = metadata.summary ?? facts.title
            facts.parentID = project?.parentSessionID(of: path) ?? facts.parentID
            facts.saw(metadata.startTime)
            facts.saw(metadata.lastUpdated)
            for message in messages { facts.saw(message.timestamp) }
            facts.model = messages.last(where: { $0.model != nil })?.model ?? facts.model
        }
        for message in messages {
            emit(message, session: session, into: &batch)
        }
    }

    private func emit(_ message: GeminiMessage, session: String, into batch: inout TranscriptBatch) {
        let id = message.id ?? ""
        let key = message.id.flatMap { $0.isEmpty ? nil : $0 }
        switch message.type {
        case "user":
            guard let text = message.text.map(ClaudeCodeReader.shorten), !text.isEmpty else { return }
            batch.events.append(
                .init(key: key.map { "\(session)/\($0)" }, sessionID: session, kind: .prompt, timestamp: message.timestamp, text: text))
        case "error":
            let text = ClaudeCodeReader.shorten(message.text ?? "error")
            batch.events.append(
                .init(key: key.map { "\(session)/\($0)" }, sessionID: session, kind: .error, timestamp: message.timestamp, text: text))
        case "gemini":
            for call in message.toolCalls {
                batch.events.append(
                    .init(sessionID: session, kind: .toolCall, timestamp: message.timestamp, text: call.name, paths: call.paths))
                if call.failed {
                    batch.events.append(
                        .init(sessionID: session, kind: .toolError, timestamp: message.timestamp, text: call.name + " failed"))
                }
            }
            guard let tokens = message.tokens, !tokens.isEmpty else { return }
            batch.addCall(
                .init(
                    key: "gemini|\(session)|\(id)", messageID: nil, sessionID: session, model: message.model ?? "unknown",
                    timestamp: message.timestamp, usage: tokens.usage, isSidechain: false, contextWindow: nil,
                    contextTokens: nil))
        default:
            break  // `info` and `warning` are the CLI's own notes
        }
    }
}
