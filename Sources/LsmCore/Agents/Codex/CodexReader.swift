import Foundation

/// Turns Codex CLI rollout lines (`sessions/**/rollout-*.jsonl`) into normalized events.
///
/// Usage comes from the cumulative `total_token_usage` of `token_count` events: each counted event
/// adds what the total grew by since the last one (never `last_token_usage`, which repeats). Repeated
/// events and `info: null` add nothing, and the parent's events replayed at the top of a forked
/// rollout are skipped. `shared/reference/agent-sessions.md` §2.2 documents the format.
struct CodexReader {
    /// The offset of the line being read.
    private var position: UInt64 = 0

    mutating func read(
        line: UnsafeBufferPointer<UInt8>, at position: UInt64 = 0, state: inout ReaderState, into batch: inout TranscriptBatch
    ) {
        batch.lines += 1
        self.position = position
        guard var cursor = JSONCursor(line), cursor.peek() == UInt8(ascii: "{") else {
            if !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { batch.malformedLines += 1 }
            return
        }
        var type: String?
        var timestamp: Date?
        var payload: Int?
        let parsed = cursor.forEachField { key, value in
            if key.equals("type") {
                type = value.readString()
            } else if key.equals("timestamp") {
                timestamp = value.readTimestamp()
            } else if key.equals("payload") {
                payload = value.position
                value.skipValue()
            }
        }
        guard parsed, let type, let payload else {
            if !parsed { batch.malformedLines += 1 }
            return
        }
        var body = cursor.at(payload)
        switch type {
        case "session_meta":
            readSessionMeta(&body, timestamp: timestamp, state: &state, into: &batch)
        case "turn_context":
            body.forEachField { key, value in
                if key.equals("model") {
                    state.model = value.readString() ?? state.model
                } else if key.equals("cwd") {
                    state.cwd = value.readString() ?? state.cwd
                }
            }
        case "event_msg":
            readEvent(&body, timestamp: timestamp, state: &state, into: &batch)
        case "response_item":
            guard !isReplay(timestamp, state: state) else { return }
            readResponseItem(&body, timestamp: timestamp, state: state, into: &batch)
        case "compacted":
            guard let session = state.sessionID, !isReplay(timestamp, state: state) else { return }
            batch.events.append(
                .init(key: eventKey(session, "compaction"), sessionID: session, kind: .compaction, timestamp: timestamp, text: "auto"))
        default:
            break
        }
        if let session = state.sessionID, !isReplay(timestamp, state: state) {
            batch.update(session) { facts in
                facts.saw(timestamp)
                facts.cwd = state.cwd ?? facts.cwd
                facts.branch = state.branch ?? facts.branch
                facts.agentVersion = state.agentVersion ?? facts.agentVersion
            }
        }
    }

    /// An event's key: its session and its line's place in the rollout, the same wherever the file
    /// is (a rollout moved to archived_sessions/ counts its events once).
    private func eventKey(_ session: String, _ kind: String) -> String { "codex|\(session)|\(position)|\(kind)" }

    /// The first `session_meta` names the file's session; a second one (the parent's, in a fork)
    /// marks the start of the replayed prefix.
    private func readSessionMeta(_ body: inout JSONCursor, timestamp: Date?, state: inout ReaderState, into batch: inout TranscriptBatch) {
        var id: String?
        var cwd: String?
        var branch: String?
        var version: String?
        var parent: String?
        body.forEachField { key, value in
            if key.equals("id") {
                id = value.readString()
            } else if key.equals("cwd") {
                cwd = value.readString()
            } else if key.equals("cli_version") {
                version = value.readString()
            } else if key.equals("forked_from_id") || key.equals("parent_thread_id") {
                parent = value.readString()
            } else if key.equals("git") {
                value.forEachField { key, value in
                    if key.equals("branch") { branch = value.readString() }
                }
            }
        }
        state.codexMetaCount += 1
        let forkSecond = timestamp.map { Int64($0.timeIntervalSince1970.rounded(.down)) }
        if state.codexMetaCount == 1, let id {
            // The file's own session id replaces the one guessed from its name.
            state.sessionID = id
            state.cwd = cwd ?? state.cwd
            state.branch = branch ?? state.branch
            state.agentVersion = version ?? state.agentVersion
            if parent != nil { state.codexReplaySecond = forkSecond }
            batch.update(id) { facts in
                facts.parentID = parent
                facts.saw(timestamp)
            }
        } else if !state.codexSawOwnTokenCount, state.codexReplaySecond == nil {
            // A parent's session_meta right after the child's: what follows is replayed history.
            state.codexReplaySecond = forkSecond
        }
    }

    /// Whether a record stamped `timestamp` belongs to the replayed prefix of a fork.
    private func isReplay(_ timestamp: Date?, state: ReaderState) -> Bool {
        guard let second = state.codexReplaySecond, !state.codexSawOwnTokenCount else { return false }
        guard let timestamp else { return true }
        return Int64(timestamp.timeIntervalSince1970.rounded(.down)) == second
    }

    private func readEvent(_ body: inout JSONCursor, timestamp: Date?, state: inout ReaderState, into batch: inout TranscriptBatch) {
        var type: String?
        var totals: CodexTotals?
        var lastTotal: Int?
        var contextWindow: Int?
        var model: String?
        var message: String?
        body.forEachField { key, value in
            if key.equals("type") {
                type = value.readString()
            } else if key.equals("info") {
                value.forEachField { key, value in
                    if key.equals("total_token_usage") {
                        totals = Self.readTotals(&value)
                    } else if key.equals("last_token_usage") {
                        lastTotal = Self.readTotals(&value).map { $0.input + $0.output }
                    } else if key.equals("model_context_window") {
                        contextWindow = value.readInt()
                    } else if key.equals("model") {
                        model = value.readString()
                    }
                }
            } else if key.equals("model_context_window") {
                contextWindow = value.readInt()
            } else if key.equals("message") {
                message = value.readString()
            }
        }
        if let contextWindow { state.contextWindow = contextWindow }
        switch type {
        case "token_count":
            guard let totals else { return }  // `info: null`
            if isReplay(timestamp, state: state) {
                state.codexTotals = totals
                return
            }
            if state.codexReplaySecond != nil { state.codexSawOwnTokenCount = true }
            countTokens(totals, lastTotal: lastTotal, model: model, timestamp: timestamp, state: &state, into: &batch)
        case "user_message":
            guard let session = state.sessionID, let message, !isReplay(timestamp, state: state) else { return }
            batch.events.append(
                .init(
                    key: eventKey(session, "prompt"), sessionID: session, kind: .prompt, timestamp: timestamp,
                    text: ClaudeCodeReader.shorten(message)))
        case "error", "stream_error":
            guard let session = state.sessionID, !isReplay(timestamp, state: state) else { return }
            batch.events.append(
                .init(
                    key: eventKey(session, "error"), sessionID: session, kind: .error, timestamp: timestamp,
                    text: ClaudeCodeReader.shorten(message ?? "error")))
        default:
            break
        }
    }

    /// Adds one API call for the growth of the cumulative totals since the last counted event.
    private func countTokens(
        _ totals: CodexTotals, lastTotal: Int?, model: String?, timestamp: Date?, state: inout ReaderState,
        into batch: inout TranscriptBatch
    ) {
        guard let session = state.sessionID else { return }
        let previous = state.codexTotals ?? CodexTotals(input: 0, cachedInput: 0, output: 0)
        if totals == previous { return }  // the same event written again
        let counterWentBack = totals.input < previous.input || totals.cachedInput < previous.cachedInput || totals.output < previous.output
        let base = counterWentBack ? CodexTotals(input: 0, cachedInput: 0, output: 0) : previous
        state.codexTotals = totals
        let input = totals.input - base.input
        let cached = min(totals.cachedInput - base.cachedInput, input)
        let usage = TokenUsage(input: input - cached, output: totals.output - base.output, cacheRead: cached)
        let stamp = timestamp.map { String($0.timeIntervalSince1970) } ?? "-"
        batch.addCall(
            .init(
                key: "codex|\(session)|\(stamp)|\(totals.input)|\(totals.output)", messageID: nil, sessionID: session,
                model: model ?? state.model ?? "unknown", timestamp: timestamp, usage: usage, isSidechain: false,
                contextWindow: state.contextWindow, contextTokens: lastTotal, position: position))
    }

    private static func readTotals(_ value: inout JSONCursor) -> CodexTotals? {
        var totals = CodexTotals(input: 0, cachedInput: 0, output: 0)
        let parsed = value.forEachField { key, value in
            if key.equals("input_tokens") {
                totals.input = value.readTokenCount()
            } else if key.equals("cached_input_tokens") {
                totals.cachedInput = value.readTokenCount()
            } else if key.equals("output_tokens") {
                totals.output = value.readTokenCount()
            }
        }
        return parsed ? totals : nil
    }

    private func readResponseItem(_ body: inout JSONCursor, timestamp: Date?, state: ReaderState, into batch: inout TranscriptBatch) {
        guard let session = state.sessionID else { return }
        var type: String?
        var name: String?
        var arguments: Range<Int>?
        body.forEachField { key, value in
            if key.equals("type") {
                type = value.readString()
            } else if key.equals("name") {
                name = value.readString()
            } else if key.equals("arguments") || key.equals("input") {
                arguments = value.peek() == UInt8(ascii: "\"") ? value.readStringRange() : nil
            }
        }
        guard type == "function_call" || type == "custom_tool_call" || type == "local_shell_call", let tool = name ?? type else { return }
        // Only patches name files; other tools' arguments are never decoded.
        let base = body.base
        let paths =
            tool.contains("patch")
            ? arguments.map { CodexPatch.paths(in: UnsafeBufferPointer(start: base + $0.lowerBound, count: $0.count)) } ?? [] : []
        batch.events.append(.init(sessionID: session, kind: .toolCall, timestamp: timestamp, text: tool, paths: paths))
    }
}

/// Reads `apply_patch` payloads.
public enum CodexPatch {
    private static let markers: [[UInt8]] = ["*** Update File: ", "*** Add File: ", "*** Delete File: ", "*** Move to: "].map {
        Array($0.utf8)
    }

    /// The files a patch touches, from its `*** Update/Add/Delete File:` and `*** Move to:` lines.
    public static func paths(_ text: String) -> [String] {
        var copy = text
        return copy.withUTF8 { paths(in: $0) }
    }

    /// The same, straight from a patch's bytes, which may still be JSON-escaped (a path ends at a
    /// newline, a backslash or a quote).
    static func paths(in bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        guard let base = bytes.baseAddress else { return [] }
        var paths: [String] = []
        for marker in markers {
            var offset = 0
            while offset < bytes.count {
                guard let found = bytes.firstOffset(of: marker, from: offset) else { break }
                var start = found + marker.count
                var end = start
                while end < bytes.count, ![0x0A, 0x0D, UInt8(ascii: "\\"), UInt8(ascii: "\"")].contains(bytes[end]) { end += 1 }
                while start < end, bytes[start] == 0x20 { start += 1 }
                var trimmedEnd = end
                while trimmedEnd > start, bytes[trimmedEnd - 1] == 0x20 { trimmedEnd -= 1 }
                let path = String(decoding: UnsafeBufferPointer(start: base + start, count: trimmedEnd - start), as: UTF8.self)
                if !path.isEmpty, !paths.contains(path) { paths.append(path) }
                offset = end
            }
        }
        return paths
    }
}
