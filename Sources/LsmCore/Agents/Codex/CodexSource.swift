/// Codex CLI's rollouts: append-only JSON lines under `sessions/` and `archived_sessions/`.
struct CodexSource: TranscriptSource {
    var agent: AgentKind { .codex }
    var isAppendOnly: Bool { true }

    func files(_ locator: TranscriptLocator) -> [TranscriptFile] { locator.codexFiles() }

    func fallbackSessionID(for path: String) -> String { TranscriptLocator.codexSessionID(path) }

    func read(_ file: TranscriptFile, from offset: UInt64, state: inout ReaderState, into batch: inout TranscriptBatch)
        throws(TranscriptReadError) -> UInt64
    {
        var reader = CodexReader()
        let outcome = try LineScanner(path: file.path).scanWithOffsets(from: offset) { line, position in
            reader.read(line: line, at: position, state: &state, into: &batch)
        }
        batch.countSkipped(outcome)
        return outcome.endOffset
    }
}
