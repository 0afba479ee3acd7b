import Foundation

/// Reads Gemini CLI chat files into a `GeminiConversation`: the JSON-lines log (`session-*.jsonl`)
/// one record at a time, and the legacy whole-document `session-*.json`.
///
/// Line kinds (`chatRecordingService.ts loadConversationRecord`): `{"$rewindTo": id}`, a message
/// (has a string `id`), `{"$set": {…}}`, and the metadata line (`sessionId` and `projectHash`).
/// `shared/reference/agent-sessions.md` §2.5 documents the format.
struct GeminiChatReader {
    var conversation = GeminiConversation()

    /// Reads one line of a `.jsonl` chat.
    mutating func read(line: UnsafeBufferPointer<UInt8>, into batch: inout TranscriptBatch) {
        batch.lines += 1
        guard var cursor = JSONCursor(line), cursor.peek() == UInt8(ascii: "{") else {
            if !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { batch.malformedLines += 1 }
            return
        }
        var message = GeminiMessage()
        var metadata = GeminiMetadata()
        var update: GeminiMetadata?
        var rewindTo: String?
        let parsed = cursor.forEachField { key, value in
            if key.equals("$rewindTo") {
                rewindTo = value.readString()
            } else if key.equals("$set") {
                var fields = GeminiMetadata()
                if value.forEachField({ key, value in fields.read(key: key, value: &value) }) { update = fields }
            } else if !message.read(key: key, value: &value) {
                metadata.read(key: key, value: &value)
            }
        }
        guard parsed else {
            batch.malformedLines += 1
            return
        }
        if let rewindTo {
            conversation.rewind(to: rewindTo)
        } else if message.id != nil {
            conversation.record(message)
        } else if let update {
            conversation.metadata.merge(update)
        } else if metadata.sessionID != nil {
            conversation.metadata.merge(metadata)
        }
    }

    /// Reads a legacy `.json` chat: one `ConversationRecord` with its `messages`. A document that is
    /// not JSON lsm can read counts as one malformed line.
    mutating func read(document: UnsafeBufferPointer<UInt8>, into batch: inout TranscriptBatch) {
        batch.lines += 1
        guard var cursor = JSONCursor(document), cursor.peek() == UInt8(ascii: "{") else {
            batch.malformedLines += 1
            return
        }
        var metadata = GeminiMetadata()
        var messages: [GeminiMessage] = []
        let parsed = cursor.forEachField { key, value in
            guard key.equals("messages") else {
                metadata.read(key: key, value: &value)
                return
            }
            value.forEachElement { element in
                var message = GeminiMessage()
                if element.forEachField({ key, value in message.read(key: key, value: &value) }) { messages.append(message) }
            }
        }
        guard parsed else {
            batch.malformedLines += 1
            return
        }
        conversation.metadata.merge(metadata)
        for message in messages { conversation.record(message) }
    }
}
