import Foundation

/// Reads the lines of a Cursor CLI agent transcript:
/// `{"role":"user"|"assistant","message":{"content":[{"type":"text","text"}|{"type":"tool_use","name","input"}]}}`.
///
/// The lines carry no times, ids, model or usage. The session's time is the file's modification
/// time; its folder is the ancestor of a file a tool touched whose name, written as Cursor names
/// project folders (`/` and other punctuation as `-`), is the transcript's project folder.
struct CursorAgentTranscriptReader {
    let sessionID: String
    /// The `projects/<name>` folder's name the transcript is under, if it is.
    let projectFolder: String?

    init(path: String, sessionID: String) {
        self.sessionID = sessionID
        let components = path.split(separator: "/")
        projectFolder = components.lastIndex(of: "agent-transcripts").flatMap { index in
            index > 0 ? String(components[index - 1]) : nil
        }
    }

    mutating func read(line: UnsafeBufferPointer<UInt8>, state: inout ReaderState, into batch: inout TranscriptBatch) {
        batch.lines += 1
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
        guard let record = CursorJSON.object(Data(line)), let role = record["role"] as? String else {
            batch.malformedLines += 1
            return
        }
        let content = (record["message"] as? [String: Any])?["content"]
        let blocks: [[String: Any]]
        if let text = content as? String {
            blocks = [["type": "text", "text": text]]
        } else {
            blocks = (content as? [Any] ?? []).compactMap { $0 as? [String: Any] }
        }
        if role == "user" {
            let text = blocks.compactMap { $0["type"] as? String == "text" ? $0["text"] as? String : nil }.joined(separator: "\n")
            let prompt = Self.userQuery(text)
            if !prompt.isEmpty {
                batch.events.append(.init(sessionID: sessionID, kind: .prompt, timestamp: nil, text: ClaudeCodeReader.shorten(prompt)))
            }
        } else if role == "assistant" {
            for block in blocks where block["type"] as? String == "tool_use" {
                guard let name = block["name"] as? String, !name.isEmpty else { continue }
                let paths = CursorBubble.paths(["params": block["input"] ?? [:]])
                if state.cwd == nil { state.cwd = folder(among: paths) }
                batch.events.append(.init(sessionID: sessionID, kind: .toolCall, timestamp: nil, text: name, paths: paths))
            }
        }
    }

    /// Writes the session's facts: its folder, if found, and the file's modification time.
    func finish(modified: Double, state: ReaderState, into batch: inout TranscriptBatch) {
        batch.update(sessionID) { facts in
            facts.cwd = state.cwd
            facts.saw(modified > 0 ? Date(timeIntervalSince1970: modified) : nil)
        }
    }

    /// The text inside `<user_query>…</user_query>`, which the CLI wraps around what the user typed,
    /// or the whole text when there is no such tag.
    static func userQuery(_ text: String) -> String {
        guard let open = text.range(of: "<user_query>"),
            let close = text.range(of: "</user_query>", range: open.upperBound..<text.endIndex)
        else { return text.trimmingCharacters(in: .whitespacesAndNewlines) }
        return text[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The deepest ancestor of an absolute path in `paths` that Cursor would name `projectFolder`.
    /// Nothing is decoded from the folder's name: candidates are only checked against it.
    func folder(among paths: [String]) -> String? {
        guard let projectFolder else { return nil }
        // Real paths are short; a megabyte-long one would make this walk quadratic.
        for path in paths where path.hasPrefix("/") && path.utf8.count <= 4096 {
            var candidate = path
            while candidate.count > 1 {
                if Self.projectName(candidate) == projectFolder { return candidate }
                candidate = (candidate as NSString).deletingLastPathComponent
            }
        }
        return nil
    }

    /// `/Users/me/my.app` → `Users-me-my-app`.
    static func projectName(_ folder: String) -> String {
        let dashed = String(folder.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? Character($0) : "-" })
        return String(dashed.drop { $0 == "-" })
    }
}
