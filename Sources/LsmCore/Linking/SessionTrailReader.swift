import Foundation
import LsmStore

/// Reads the `SessionTrail`s of a few sessions from their Claude Code and Codex transcripts.
///
/// Files are streamed line by line; a line is decoded only when its bytes show a tool call or the
/// result of a `git commit` call being followed, so a long transcript costs one pass of `memchr`.
/// Other agents' transcripts record no edit contents and are not read.
struct SessionTrailReader {
    /// The sessions to read, by index key; lines of other sessions in the same files are skipped.
    let sessionKeys: Set<String>

    /// The trails of the sessions `transcripts` belong to. A file that has gone since it was indexed
    /// is skipped: linking works with what is left.
    func read(_ transcripts: [SessionTranscript]) -> [String: SessionTrail] {
        var trails: [String: SessionTrail] = [:]
        var keysByPath: [String: [String]] = [:]
        var agentByPath: [String: String] = [:]
        for transcript in transcripts where sessionKeys.contains(transcript.sessionKey) {
            keysByPath[transcript.path, default: []].append(transcript.sessionKey)
            agentByPath[transcript.path] = transcript.agent
        }
        for (path, keys) in keysByPath.sorted(by: { $0.key < $1.key }) {
            switch AgentKind(rawValue: agentByPath[path] ?? "") {
            case .claudeCode: readClaude(path, into: &trails)
            case .codex: readCodex(path, keys: keys, into: &trails)
            default: continue
            }
        }
        return trails
    }

    private static let toolUse = Array("\"tool_use\"".utf8)
    private static let toolResult = Array("\"tool_result\"".utf8)
    private static let responseItem = Array("\"response_item\"".utf8)
    private static let applyPatch = Array("apply_patch".utf8)
    private static let gitCommit = Array("git commit".utf8)
    private static let output = Array("_output\"".utf8)

    /// Claude Code: assistant `tool_use` blocks (edits, and Bash calls running `git commit`), then
    /// the `tool_result` blocks answering those Bash calls.
    private func readClaude(_ path: String, into trails: inout [String: SessionTrail]) {
        var pending: [String: (key: String, id: [UInt8])] = [:]  // Bash tool_use id → session
        _ = try? LineScanner(path: path).scan(from: 0) { line in
            if line.contains(bytes: Self.toolUse) {
                guard let record = Self.object(line), record["type"] as? String == "assistant",
                    let session = record["sessionId"] as? String, sessionKeys.contains(SessionKey.make(.claudeCode, session))
                else { return }
                let key = SessionKey.make(.claudeCode, session)
                let time = (record["timestamp"] as? String).flatMap(ISOTimestamp.parse)
                for block in Self.blocks(record) where block["type"] as? String == "tool_use" {
                    let input = block["input"] as? [String: Any] ?? [:]
                    let name = block["name"] as? String ?? ""
                    if name == "Bash", let command = input["command"] as? String, command.contains("git commit"),
                        let id = block["id"] as? String
                    {
                        pending[id] = (key, Array(id.utf8))
                    } else if let edit = Self.claudeEdit(name: name, input: input, time: time) {
                        trails[key, default: SessionTrail()].edits.append(edit)
                    }
                }
            } else if !pending.isEmpty, line.contains(bytes: Self.toolResult),
                pending.values.contains(where: { line.contains(bytes: $0.id) })
            {
                guard let record = Self.object(line) else { return }
                let time = (record["timestamp"] as? String).flatMap(ISOTimestamp.parse)
                for block in Self.blocks(record) where block["type"] as? String == "tool_result" {
                    guard let id = block["tool_use_id"] as? String, let caller = pending.removeValue(forKey: id) else { continue }
                    for hash in GitCommitOutput.commitIDs(in: Self.text(block["content"])) {
                        trails[caller.key, default: SessionTrail()].namedCommits.append(.init(hash: hash, time: time))
                    }
                }
            }
        }
    }

    /// An editing call's file and the lines it wrote.
    private static func claudeEdit(name: String, input: [String: Any], time: Date?) -> SessionTrail.Edit? {
        let written: [String]
        switch name {
        case "Edit": written = [input["new_string"] as? String ?? ""]
        case "MultiEdit": written = (input["edits"] as? [[String: Any]] ?? []).map { $0["new_string"] as? String ?? "" }
        case "Write": written = [input["content"] as? String ?? ""]
        case "NotebookEdit": written = [input["new_source"] as? String ?? ""]
        default: return nil
        }
        guard let path = input["file_path"] as? String ?? input["notebook_path"] as? String, !path.isEmpty else { return nil }
        return SessionTrail.Edit(path: path, lines: written.flatMap(SessionTrail.comparableLines), time: time)
    }

    /// Codex: `apply_patch` calls (as a tool, or through the shell), shell calls running `git commit`,
    /// and the outputs answering those.
    private func readCodex(_ path: String, keys: [String], into trails: inout [String: SessionTrail]) {
        var pending: [String: [UInt8]] = [:]  // call_id of a `git commit` call
        func add(_ body: (inout SessionTrail) -> Void) {
            for key in keys { body(&trails[key, default: SessionTrail()]) }
        }
        _ = try? LineScanner(path: path).scan(from: 0) { line in
            guard line.contains(bytes: Self.responseItem) else { return }
            if !pending.isEmpty, line.contains(bytes: Self.output), pending.values.contains(where: { line.contains(bytes: $0) }) {
                guard let record = Self.object(line), let payload = record["payload"] as? [String: Any],
                    let id = payload["call_id"] as? String, pending.removeValue(forKey: id) != nil
                else { return }
                let time = (record["timestamp"] as? String).flatMap(ISOTimestamp.parse)
                let hashes = GitCommitOutput.commitIDs(in: Self.text(payload["output"]))
                add { trail in trail.namedCommits += hashes.map { .init(hash: $0, time: time) } }
                return
            }
            guard line.contains(bytes: Self.applyPatch) || line.contains(bytes: Self.gitCommit), let record = Self.object(line),
                let payload = record["payload"] as? [String: Any]
            else { return }
            let time = (record["timestamp"] as? String).flatMap(ISOTimestamp.parse)
            let command = Self.codexCommand(payload)
            if let start = command.range(of: "*** Begin Patch") {
                let edits = CodexPatch.addedLines(String(command[start.lowerBound...]))
                add { trail in trail.edits += edits.map { SessionTrail.Edit(path: $0.path, lines: $0.lines, time: time) } }
            } else if command.contains("git commit"), let id = payload["call_id"] as? String {
                pending[id] = Array(id.utf8)
            }
        }
    }

    /// What a Codex call ran: a patch's text, or a shell command line.
    private static func codexCommand(_ payload: [String: Any]) -> String {
        let raw = payload["arguments"] ?? payload["input"] ?? (payload["action"] as? [String: Any])?["command"]
        // `function_call` arguments are a JSON document in a string; `custom_tool_call` input is the text itself.
        var value: Any? = raw
        if let string = raw as? String, string.hasPrefix("{"), let decoded = try? JSONSerialization.jsonObject(with: Data(string.utf8)) {
            value = decoded
        }
        if let arguments = value as? [String: Any] {
            value = arguments["patch"] ?? arguments["input"] ?? arguments["command"] ?? arguments["cmd"]
        }
        if let parts = value as? [String] { return parts.joined(separator: " ") }
        return value as? String ?? ""
    }

    private static func object(_ line: UnsafeBufferPointer<UInt8>) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(buffer: line))) as? [String: Any]
    }

    private static func blocks(_ record: [String: Any]) -> [[String: Any]] {
        ((record["message"] as? [String: Any])?["content"] as? [[String: Any]]) ?? []
    }

    /// A tool result's text: a string, or the text blocks of an array.
    private static func text(_ content: Any?) -> String {
        if let string = content as? String { return string }
        if let blocks = content as? [[String: Any]] { return blocks.compactMap { $0["text"] as? String }.joined(separator: "\n") }
        if let object = content as? [String: Any] { return text(object["output"] ?? object["content"]) }
        return ""
    }
}
