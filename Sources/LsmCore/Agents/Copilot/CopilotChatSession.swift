import Foundation

/// A VS Code Copilot Chat session document (`ISerializableChatData` v3: a `.json` file, or the state
/// an operation log replays to), turned into normalized events.
///
/// Each entry of `requests` is one turn: the prompt (`message.text`), the model (`modelId`, e.g.
/// `copilot/claude-sonnet-4`), the tools it ran (`result.metadata.toolCallRounds[].toolCalls[]`), an
/// error (`result.errorDetails`), and — only in newer builds — `usage {promptTokens,
/// completionTokens}`, the one source of token counts. A turn without `usage` is no call: the
/// session's usage stays `null` rather than estimated.
struct CopilotChatSession {
    let document: [String: Any]

    /// Appends the session's facts, calls and events to `batch`.
    func emit(path: String, state: inout ReaderState, into batch: inout TranscriptBatch) {
        let session =
            (document["sessionId"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? state.sessionID
            ?? TranscriptLocator.copilotSessionID(path)
        state.sessionID = session
        state.cwd = TranscriptLocator.vscodeWorkspaceFolder(ofChatFile: path) ?? state.cwd
        let requests = (document["requests"] as? [Any] ?? []).compactMap { $0 as? [String: Any] }
        let current = state
        batch.update(session) { facts in
            facts.cwd = current.cwd ?? facts.cwd
            facts.title = (document["customTitle"] as? String) ?? facts.title
            facts.saw(Self.date(document["creationDate"]))
            facts.saw(Self.date(document["lastMessageDate"]))
            for request in requests { facts.saw(Self.date(request["timestamp"])) }
            let agent = requests.last?["agent"] as? [String: Any]
            facts.agentVersion = (agent?["extensionVersion"] as? String) ?? facts.agentVersion
            let selected = ((document["inputState"] as? [String: Any])?["selectedModel"] as? [String: Any])?["identifier"] as? String
            facts.model =
                requests.last(where: { $0["modelId"] is String }).flatMap { Self.model($0["modelId"]) } ?? Self.model(selected)
                ?? facts.model
        }
        for (index, request) in requests.enumerated() {
            emit(request, index: index, session: session, into: &batch)
        }
    }

    private func emit(_ request: [String: Any], index: Int, session: String, into batch: inout TranscriptBatch) {
        let time = Self.date(request["timestamp"])
        let id = (request["requestId"] as? String) ?? "\(index)"
        if let message = request["message"] as? [String: Any], let text = message["text"] as? String {
            let prompt = ClaudeCodeReader.shorten(text)
            if !prompt.isEmpty {
                batch.events.append(.init(key: "\(session)/\(id)", sessionID: session, kind: .prompt, timestamp: time, text: prompt))
            }
        }
        let result = request["result"] as? [String: Any]
        let metadata = result?["metadata"] as? [String: Any]
        for round in metadata?["toolCallRounds"] as? [Any] ?? [] {
            for call in (round as? [String: Any])?["toolCalls"] as? [Any] ?? [] {
                guard let call = call as? [String: Any], let name = call["name"] as? String else { continue }
                batch.events.append(
                    .init(sessionID: session, kind: .toolCall, timestamp: time, text: name, paths: Self.paths(call["arguments"])))
            }
        }
        if let error = result?["errorDetails"] as? [String: Any] {
            let text = ClaudeCodeReader.shorten((error["message"] as? String) ?? "error")
            batch.events.append(.init(key: "\(session)/\(id)/error", sessionID: session, kind: .error, timestamp: time, text: text))
        }
        guard let usage = request["usage"] as? [String: Any] else { return }
        let prompt = max(0, Self.int(usage["promptTokens"]) ?? 0)
        let completion = max(0, Self.int(usage["completionTokens"]) ?? 0)
        guard prompt > 0 || completion > 0 else { return }
        batch.addCall(
            .init(
                key: "copilot|\(session)|\(id)", messageID: nil, sessionID: session, model: Self.model(request["modelId"]) ?? "unknown",
                timestamp: time, usage: TokenUsage(input: prompt, output: completion), isSidechain: false, contextWindow: nil,
                contextTokens: nil))
    }

    /// `copilot/claude-sonnet-4` → `claude-sonnet-4`.
    static func model(_ value: Any?) -> String? {
        guard let id = value as? String, !id.isEmpty else { return nil }
        return id.hasPrefix("copilot/") ? String(id.dropFirst("copilot/".count)) : id
    }

    /// Milliseconds since 1970 (VS Code's dates), or an ISO 8601 string.
    static func date(_ value: Any?) -> Date? {
        if let text = value as? String { return ISOTimestamp.parse(text) }
        let number = (value as? Int).map(Double.init) ?? (value as? Double) ?? 0
        return ISOTimestamp.date(secondsOrMilliseconds: number)
    }

    /// A token count: a whole number from 0 to a trillion, else nothing (never a trap on 1e20).
    private static func int(_ value: Any?) -> Int? {
        let number = (value as? Int).map(Double.init) ?? (value as? Double)
        guard let number, number.isFinite, (0...1_000_000_000_000).contains(number) else { return nil }
        return Int(number)
    }

    /// Absolute file paths in a tool call's arguments (a JSON string in VS Code's records).
    private static func paths(_ arguments: Any?) -> [String] {
        let object: [String: Any]?
        if let text = arguments as? String, let data = text.data(using: .utf8) {
            object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        } else {
            object = arguments as? [String: Any]
        }
        return ["filePath", "path", "file_path"].compactMap { object?[$0] as? String }.filter { $0.hasPrefix("/") }
    }
}
