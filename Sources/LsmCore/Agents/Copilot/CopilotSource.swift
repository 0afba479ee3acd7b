import Foundation

/// VS Code's Copilot Chat sessions: `chatSessions/*.json` documents and `*.jsonl` operation logs.
/// VS Code rewrites both in place, so a changed file is read again whole.
struct CopilotSource: TranscriptSource {
    var agent: AgentKind { .copilot }
    var isAppendOnly: Bool { false }

    func reads(_ path: String) -> Bool { !CopilotCLISource.isEventLog(path) }

    func files(_ locator: TranscriptLocator) -> [TranscriptFile] { locator.copilotChatFiles() }

    func fallbackSessionID(for path: String) -> String { TranscriptLocator.copilotSessionID(path) }

    func read(_ file: TranscriptFile, from offset: UInt64, state: inout ReaderState, into batch: inout TranscriptBatch)
        throws(TranscriptReadError) -> UInt64
    {
        if file.path.hasSuffix(".jsonl") {
            var log = CopilotOperationLog()
            let outcome = try LineScanner(path: file.path).scan(from: 0) { log.apply(line: $0, into: &batch) }
            batch.countSkipped(outcome)
            if let document = log.state as? [String: Any] {
                CopilotChatSession(document: document).emit(path: file.path, state: &state, into: &batch)
            }
            return outcome.endOffset
        }
        let bytes = try WholeFile.read(file.path)
        batch.lines += 1
        if let document = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] {
            CopilotChatSession(document: document).emit(path: file.path, state: &state, into: &batch)
        } else {
            batch.malformedLines += 1
        }
        return UInt64(bytes.count)
    }
}
