/// The Copilot CLI's sessions: append-only `session-state/<id>/events.jsonl` logs.
struct CopilotCLISource: TranscriptSource {
    var agent: AgentKind { .copilot }
    var isAppendOnly: Bool { true }

    /// Whether `path` is a CLI event log rather than a VS Code chat session.
    static func isEventLog(_ path: String) -> Bool { path.hasSuffix("/events.jsonl") }

    func reads(_ path: String) -> Bool { Self.isEventLog(path) }

    func files(_ locator: TranscriptLocator) -> [TranscriptFile] { locator.copilotCLIFiles() }

    func fallbackSessionID(for path: String) -> String { TranscriptLocator.copilotSessionID(path) }

    func read(_ file: TranscriptFile, from offset: UInt64, state: inout ReaderState, into batch: inout TranscriptBatch)
        throws(TranscriptReadError) -> UInt64
    {
        var reader = CopilotEventsReader()
        let outcome = try LineScanner(path: file.path).scan(from: offset) { line in
            reader.read(line: line, state: &state, into: &batch)
        }
        batch.countSkipped(outcome)
        return outcome.endOffset
    }
}
