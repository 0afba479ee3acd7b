/// The Cursor CLI's agent transcripts, `projects/<folder>/agent-transcripts/<session>.jsonl` (or
/// `<session>/<session>.jsonl`): append-only JSON lines of user and assistant messages.
struct CursorAgentTranscriptSource: TranscriptSource {
    var agent: AgentKind { .cursor }
    var isAppendOnly: Bool { true }

    func reads(_ path: String) -> Bool { path.hasSuffix(".jsonl") }

    func files(_ locator: TranscriptLocator) -> [TranscriptFile] { locator.cursorAgentTranscriptFiles() }

    /// The file's stem.
    func fallbackSessionID(for path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name.hasSuffix(".jsonl") ? String(name.dropLast(6)) : name
    }

    func read(_ file: TranscriptFile, from offset: UInt64, state: inout ReaderState, into batch: inout TranscriptBatch)
        throws(TranscriptReadError) -> UInt64
    {
        var reader = CursorAgentTranscriptReader(path: file.path, sessionID: state.sessionID ?? fallbackSessionID(for: file.path))
        let outcome = try LineScanner(path: file.path).scan(from: offset) { line in
            reader.read(line: line, state: &state, into: &batch)
        }
        reader.finish(modified: file.modified, state: state, into: &batch)
        batch.countSkipped(outcome)
        return outcome.endOffset
    }
}
