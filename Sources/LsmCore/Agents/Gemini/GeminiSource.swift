import Foundation

/// Gemini CLI's chats under `~/.gemini/tmp/<project>/chats/`. A chat log rewrites earlier messages
/// (last record per id wins, `$rewindTo` drops messages), so a changed file is read again whole.
struct GeminiSource: TranscriptSource {
    var agent: AgentKind { .gemini }
    var isAppendOnly: Bool { false }

    func files(_ locator: TranscriptLocator) -> [TranscriptFile] { locator.geminiFiles() }

    func fallbackSessionID(for path: String) -> String { TranscriptLocator.geminiSessionID(path) }

    func read(_ file: TranscriptFile, from offset: UInt64, state: inout ReaderState, into batch: inout TranscriptBatch)
        throws(TranscriptReadError) -> UInt64
    {
        var reader = GeminiChatReader()
        let endOffset: UInt64
        if file.path.hasSuffix(".json") {
            let bytes = try WholeFile.read(file.path)
            bytes.withUnsafeBufferPointer { reader.read(document: $0, into: &batch) }
            endOffset = UInt64(bytes.count)
        } else {
            let outcome = try LineScanner(path: file.path).scan(from: 0) { line in
                reader.read(line: line, into: &batch)
            }
            batch.countSkipped(outcome)
            endOffset = outcome.endOffset
        }
        reader.conversation.emit(path: file.path, state: &state, into: &batch)
        return endOffset
    }
}
