import Foundation

/// Writes one session's export through an `ExportSink`, streaming its transcripts: the JSON bundle's
/// events and lines, or the messages a page shows. Redacts as it goes when given a redactor.
final class BundleWriter {
    let sink: ExportSink
    let redactor: SecretRedactor?
    /// The session exported: a file shared with other sessions (a resumed Claude Code session, a
    /// Cursor database) contributes only this session's messages.
    let sessionID: String
    private(set) var lines = 0
    private(set) var events = 0
    private(set) var redactions: [String: Int] = [:]

    init(sink: ExportSink, redactor: SecretRedactor?, sessionID: String) {
        self.sink = sink
        self.redactor = redactor
        self.sessionID = sessionID
    }

    /// Writes the whole bundle and returns its checksum.
    func writeBundle(header: String, files: [TranscriptFile]) throws(LsmError) -> String {
        sink.write(SessionBundle.firstLine + "\n")
        sink.write(redacted(header))
        sink.write("\"redacted\":\(redactor != nil),\n")
        sink.write(SessionBundle.eventsLine)
        var first = true
        try forEachMessage(in: files) { index, position, message in
            sink.write(first ? "\n" : ",\n")
            first = false
            writeEvent(file: index, position: position, message)
        }
        sink.write("\n],\n" + SessionBundle.filesLine)
        var entries: [(TranscriptFile, SessionBundle.FileEntry)] = []
        for file in files {
            guard let entry = Self.entry(for: file) else { continue }
            entries.append((file, entry))
            for context in Self.contextFiles(of: file) {
                guard let located = TranscriptRoot.locate(context, agent: file.agent),
                    let contextFile = TranscriptFile.current(path: context, agent: file.agent)
                else { continue }
                let contextEntry = SessionBundle.FileEntry(
                    agent: file.agent.rawValue, root: located.root.rawValue, path: located.relative, context: true, database: false,
                    modified: Self.nanoseconds(contextFile))
                if !entries.contains(where: { $0.1.root == contextEntry.root && $0.1.path == contextEntry.path }) {
                    entries.append((contextFile, contextEntry))
                }
            }
        }
        for (index, (file, entry)) in entries.enumerated() {
            sink.write(index == 0 ? "\n" : ",\n")
            try writeFile(file, entry: entry)
        }
        sink.write("\n],\n")
        let checksum = try sink.checksum()
        sink.write(SessionBundle.checksumKey + checksum + "\"}\n")
        return checksum
    }

    /// Calls `body` with this session's messages in every file, in file and line order.
    func forEachMessage(in files: [TranscriptFile], _ body: (Int, Int64, SearchMessage) -> Void) throws(LsmError) {
        for (index, file) in files.enumerated() {
            var fileSession: String?
            do {
                _ = try ConversationReader.read(file, from: 0, sessionID: &fileSession) { position, message in
                    guard (message.sessionID ?? file.fallbackSessionID) == self.sessionID else { return }
                    self.events += 1
                    body(index, position, message)
                }
            } catch {
                throw LsmError(.user, "cannot read \(error.path): \(error.message)")
            }
        }
    }

    /// `text` with secrets removed, when redacting.
    func redacted(_ text: String) -> String {
        guard let redactor else { return text }
        return redactor.redact(text, counts: &redactions)
    }

    private func writeEvent(file: Int, position: Int64, _ message: SearchMessage) {
        sink.write("{\"file\":\(file),\"position\":\(position),\"role\":\"\(message.role.rawValue)\",\"kind\":\"\(message.kind.rawValue)\"")
        sink.write(",\"timestamp\":")
        if let timestamp = message.timestamp {
            sink.writeJSONString(SessionBundle.timestamp(timestamp))
        } else {
            sink.write("null")
        }
        sink.write(",\"tool\":")
        if let tool = message.tool { sink.writeJSONString(redacted(tool)) } else { sink.write("null") }
        sink.write(",\"paths\":[")
        for (index, path) in message.paths.enumerated() {
            if index > 0 { sink.write(",") }
            sink.writeJSONString(redacted(path))
        }
        sink.write("],\"text\":")
        sink.writeJSONString(redacted(message.text))
        sink.write("}")
    }

    /// The bundle entry of a transcript; `nil` for a file in no folder its agent uses.
    static func entry(for file: TranscriptFile) -> SessionBundle.FileEntry? {
        guard let located = TranscriptRoot.locate(file.path, agent: file.agent) else { return nil }
        let isDatabase = file.path.hasSuffix(".vscdb") || file.path.hasSuffix("/store.db")
        return SessionBundle.FileEntry(
            agent: file.agent.rawValue, root: located.root.rawValue, path: located.relative, context: false, database: isDatabase,
            modified: nanoseconds(file))
    }

    /// The file's modification time, to the nanosecond.
    static func nanoseconds(_ file: TranscriptFile) -> Int64 {
        var info = stat()
        guard stat(file.path, &info) == 0 else { return Int64(file.modified * 1_000_000_000) }
        return Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }

    /// Files an agent's reader looks at beside a transcript, which must travel with it.
    static func contextFiles(of file: TranscriptFile) -> [String] {
        let folder = (file.path as NSString).deletingLastPathComponent
        switch file.agent {
        case .copilot where (folder as NSString).lastPathComponent == "chatSessions":
            return [(folder as NSString).deletingLastPathComponent + "/workspace.json"]
        case .gemini:
            // `tmp/<project>/chats/<file>` or a subagent's `tmp/<project>/chats/<parent>/<file>`.
            var project = (folder as NSString).deletingLastPathComponent
            if (project as NSString).lastPathComponent == "chats" { project = (project as NSString).deletingLastPathComponent }
            return [project + "/.project_root"]
        default:
            return []
        }
    }

    private func writeFile(_ file: TranscriptFile, entry: SessionBundle.FileEntry) throws(LsmError) {
        sink.write(String(try SessionBundle.encode(entry).dropLast()) + ",\"lines\":[")
        var first = true
        var written: Int64 = 0
        var tail: [UInt8] = []
        if !entry.database {
            do {
                try RawLines.read(file.path) { line in
                    sink.write(first ? "\n" : ",\n")
                    first = false
                    written += writeLine(line) + 1
                } tail: { rest in
                    tail = Array(rest)
                }
            } catch {
                throw LsmError(.user, "cannot read \(file.path): \(String(cString: strerror(error.code)))")
            }
        }
        sink.write("\n],\"tail\":")
        if tail.isEmpty {
            sink.write("null")
        } else {
            written += tail.withUnsafeBytes { writeLine($0) }
        }
        sink.write(",\"bytes\":\(written)}")
    }

    /// Writes one line as a JSON string (redacted when asked), or as `{"base64": …}` when it is not
    /// UTF-8 text; returns the bytes it stands for.
    private func writeLine(_ line: UnsafeRawBufferPointer) -> Int64 {
        lines += 1
        guard redactor != nil else {
            if Self.isUTF8(line) {
                sink.writeJSONString(line)
            } else {
                sink.write("{\"base64\":\"" + Data(line).base64EncodedString() + "\"}")
            }
            return Int64(line.count)
        }
        // Redacted, a line that is not UTF-8 is read with its bad bytes replaced (never copied as
        // base64 with its secrets). Typed bytes: String(decoding:) takes its fast path only from a
        // buffer of UInt8.
        let text = redacted(line.withMemoryRebound(to: UInt8.self) { String(decoding: $0, as: UTF8.self) })
        sink.writeJSONString(text)
        return Int64(text.utf8.count)
    }

    private static func isUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = bytes.count
        // ASCII runs are most of a transcript; only bytes above 0x7F need the validating decoder.
        while index < count, bytes[index] < 0x80 { index += 1 }
        if index == count { return true }
        return String(validating: bytes.bindMemory(to: UInt8.self), as: UTF8.self) != nil
    }
}

/// Reads a file's lines exactly as they are (a `\r` stays; nothing is skipped), in chunks.
enum RawLines {
    struct ReadError: Error {
        let code: Int32
    }

    /// Calls `line` with each line without its `\n`, then `tail` with what follows the last `\n`.
    static func read(
        _ path: String, line: (UnsafeRawBufferPointer) -> Void, tail: (UnsafeRawBufferPointer) -> Void
    ) throws(ReadError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ReadError(code: errno) }
        defer { close(descriptor) }
        let chunkSize = 4 << 20
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 64)
        defer { chunk.deallocate() }
        var pending: [UInt8] = []
        while true {
            guard let base = chunk.baseAddress else { break }
            let count = Foundation.read(descriptor, base, chunkSize)
            if count < 0 {
                if errno == EINTR { continue }
                throw ReadError(code: errno)
            }
            if count == 0 { break }
            var start = 0
            while start < count, let hit = memchr(base + start, 0x0A, count - start) {
                let end = base.distance(to: UnsafeMutableRawPointer(hit))
                if pending.isEmpty {
                    line(UnsafeRawBufferPointer(start: base + start, count: end - start))
                } else {
                    pending.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: end - start))
                    pending.withUnsafeBytes { line($0) }
                    pending.removeAll(keepingCapacity: true)
                }
                start = end + 1
            }
            if start < count { pending.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: count - start)) }
        }
        pending.withUnsafeBytes { tail($0) }
    }
}
