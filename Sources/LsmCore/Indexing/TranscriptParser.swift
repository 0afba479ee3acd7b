import Foundation
import LsmStore

/// Reads what is new in one transcript file and turns it into one `TranscriptUpdate`.
struct TranscriptParser {
    /// What to do with a file, decided from `stat` and what the index remembers.
    enum Plan: Equatable {
        case unchanged
        /// Read from the remembered offset, continuing the remembered reader state.
        case resume(offset: UInt64, state: ReaderState)
        /// Read from the start, dropping what was read before (new, shrunk or replaced file);
        /// `previousOffset` is where the index stood for a file it knew.
        case startOver(previousOffset: UInt64?)
    }

    static func plan(for file: TranscriptFile, remembered: TranscriptState?) -> Plan {
        guard let remembered else { return .startOver(previousOffset: nil) }
        let sameFile = remembered.device == Int64(bitPattern: file.device) && remembered.inode == Int64(bitPattern: file.inode)
        if sameFile, remembered.size == Int64(file.size), remembered.modified == file.modified { return .unchanged }
        guard sameFile, TranscriptSources.source(for: file).isAppendOnly, Int64(file.size) >= remembered.size,
            let state = try? JSONDecoder().decode(ReaderState.self, from: Data(remembered.readerState.utf8))
        else { return .startOver(previousOffset: UInt64(max(0, remembered.parsedOffset))) }
        return .resume(offset: UInt64(remembered.parsedOffset), state: state)
    }

    /// Reads `file` as `plan` says. Never throws: an unreadable file gives an update that records the
    /// error and changes no totals.
    static func read(_ file: TranscriptFile, plan: Plan) -> TranscriptUpdate? {
        let offset: UInt64
        var state: ReaderState
        let startsOver: Bool
        let expected: TranscriptUpdate.Expectation
        switch plan {
        case .unchanged:
            return nil
        case .resume(let from, let remembered):
            offset = from
            state = remembered
            startsOver = false
            expected = .offset(Int64(from))
        case .startOver(let previousOffset):
            offset = 0
            state = ReaderState(sessionID: file.fallbackSessionID)
            // A file the index has never seen has nothing to drop.
            startsOver = previousOffset != nil
            expected = previousOffset.map { .offset(Int64($0)) } ?? .absent
        }
        var batch = TranscriptBatch()
        let endOffset: UInt64
        do {
            endOffset = try TranscriptSources.source(for: file).read(file, from: offset, state: &state, into: &batch)
        } catch {
            return failedUpdate(file, error: error.message, expected: expected)
        }
        let stateJSON = (try? JSONEncoder().encode(state)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        let firstAt = batch.sessions.values.compactMap(\.firstAt).min()?.timeIntervalSince1970
        return TranscriptUpdate(
            file: .init(
                path: file.path, agent: file.agent.rawValue, device: Int64(bitPattern: file.device), inode: Int64(bitPattern: file.inode),
                size: Int64(file.size), modified: file.modified, parsedOffset: Int64(endOffset), readerState: stateJSON,
                firstAt: firstAt, error: nil),
            expected: expected, startsOver: startsOver, lines: batch.lines, malformedLines: batch.malformedLines,
            sessions: batch.sessions.values.sorted { $0.id < $1.id }.map { facts in
                .init(
                    key: SessionKey.make(file.agent, facts.id), agent: file.agent.rawValue, id: facts.id, cwd: facts.cwd,
                    branch: facts.branch,
                    agentVersion: facts.agentVersion, title: facts.title, parentID: facts.parentID,
                    firstAt: facts.firstAt?.timeIntervalSince1970, lastAt: facts.lastAt?.timeIntervalSince1970, model: facts.model,
                    contextTokens: facts.contextTokens, contextWindow: facts.contextWindow)
            },
            calls: batch.calls.map { call in
                .init(
                    key: call.key, sessionKey: SessionKey.make(file.agent, call.sessionID), messageID: call.messageID, model: call.model,
                    timestamp: call.timestamp?.timeIntervalSince1970, input: call.usage.input, output: call.usage.output,
                    cacheWrite5m: call.usage.cacheWrite5m, cacheWrite1h: call.usage.cacheWrite1h, cacheRead: call.usage.cacheRead,
                    isSidechain: call.isSidechain, contextWindow: call.contextWindow, contextTokens: call.contextTokens,
                    position: Int64(call.position))
            },
            events: batch.events.filter { $0.kind != .toolCall }.map { event in
                .init(
                    sessionKey: SessionKey.make(file.agent, event.sessionID), key: event.key.map { "\(file.agent.rawValue):\($0)" },
                    kind: event.kind.rawValue, timestamp: event.timestamp?.timeIntervalSince1970, text: event.text, tokens: event.tokens)
            },
            toolUses: toolUses(batch, agent: file.agent))
    }

    private static func toolUses(_ batch: TranscriptBatch, agent: AgentKind) -> [TranscriptUpdate.ToolUse: Int] {
        var uses: [TranscriptUpdate.ToolUse: Int] = [:]
        for event in batch.events where event.kind == .toolCall {
            let session = SessionKey.make(agent, event.sessionID)
            for path in event.paths.isEmpty ? [""] : event.paths {
                uses[TranscriptUpdate.ToolUse(sessionKey: session, tool: event.text, path: path), default: 0] += 1
            }
        }
        return uses
    }

    /// An update that records why a file could not be read and keeps what was read from it before.
    /// Its size and identity are stored as unknown, so the next run reads it again from the start.
    private static func failedUpdate(_ file: TranscriptFile, error: String, expected: TranscriptUpdate.Expectation) -> TranscriptUpdate {
        TranscriptUpdate(
            file: .init(
                path: file.path, agent: file.agent.rawValue, device: -1, inode: -1, size: -1, modified: -1, parsedOffset: 0,
                readerState: "{}", firstAt: nil, error: error),
            expected: expected, startsOver: false, lines: 0, malformedLines: 0, sessions: [], calls: [],
            events: [], toolUses: [:])
    }
}

/// Session keys in the index: the agent's name and its own session id, so agents never collide.
public enum SessionKey {
    public static func make(_ agent: AgentKind, _ id: String) -> String { "\(agent.rawValue):\(id)" }
}
