/// Claude Code's transcripts: append-only JSON lines under `projects/`.
struct ClaudeCodeSource: TranscriptSource {
    var agent: AgentKind { .claudeCode }
    var isAppendOnly: Bool { true }

    func files(_ locator: TranscriptLocator) -> [TranscriptFile] { locator.claudeFiles() }

    func fallbackSessionID(for path: String) -> String { TranscriptLocator.claudeSessionID(path) }

    func read(_ file: TranscriptFile, from offset: UInt64, state: inout ReaderState, into batch: inout TranscriptBatch)
        throws(TranscriptReadError) -> UInt64
    {
        var reader = ClaudeCodeReader()
        let outcome = try LineScanner(path: file.path).scanWithOffsets(from: offset) { line, position in
            reader.read(line: line, at: position, state: &state, into: &batch)
        }
        reader.finish(into: &batch)
        batch.countSkipped(outcome)
        return outcome.endOffset
    }
}
