import Foundation

/// Reads an `lsm.bundle/1` file as `BundleWriter` lays it out: checks its schema and checksum
/// before anything is written, then streams its transcript lines into files.
struct BundleReader {
    let path: String

    /// What the bundle holds besides its lines.
    struct Contents {
        /// The header lines (origin, session, commits) exactly as written.
        var header = ""
        var originHost = ""
        var agent = ""
        var sessionID = ""
        var redacted = false
        /// Each file written: its entry and where it was written.
        var files: [(entry: SessionBundle.FileEntry, written: String?)] = []
    }

    /// Checks that the bundle is one this lsm reads and that it is whole and unchanged; returns its
    /// checksum.
    func verify() throws(LsmError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw LsmError(.user, "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let size = lseek(descriptor, 0, SEEK_END)
        let head = Self.read(descriptor, at: 0, count: 64)
        let headText = String(decoding: head, as: UTF8.self)
        let prefix = "{\"schema\":\""
        guard headText.hasPrefix(prefix) else {
            throw LsmError(.user, "\(path) is not an lsm bundle", hint: "git lsm export <session> writes one")
        }
        let schema = String(headText.dropFirst(prefix.count).prefix { $0 != "\"" })
        guard schema == SessionBundle.schema else {
            if schema.hasPrefix(SessionBundle.schemaPrefix) {
                throw LsmError(
                    .user, "\(path) is a \(schema) bundle; this lsm reads \(SessionBundle.schema)",
                    hint: "upgrade lsm on this machine to import it")
            }
            throw LsmError(.user, "\(path) is not an lsm bundle (schema '\(schema)')")
        }
        // The last line is `"sha256":"<64 hex>"}` and a newline.
        let trailerLength = SessionBundle.checksumKey.utf8.count + 64 + 3
        let damaged = LsmError(
            .user, "\(path) is truncated or damaged: it does not end with its checksum", hint: "export the session again")
        guard size >= trailerLength else { throw damaged }
        let trailerStart = Int64(size) - Int64(trailerLength)
        let trailer = String(decoding: Self.read(descriptor, at: trailerStart, count: trailerLength), as: UTF8.self)
        guard trailer.hasPrefix(SessionBundle.checksumKey), trailer.hasSuffix("\"}\n"),
            Self.read(descriptor, at: trailerStart - 2, count: 2) == Array(",\n".utf8)
        else { throw damaged }
        let expected = String(trailer.dropFirst(SessionBundle.checksumKey.count).prefix(64))
        var hasher = SHA256()
        var offset: Int64 = 0
        while offset < trailerStart {
            let chunk = Self.read(descriptor, at: offset, count: Int(min(4 << 20, trailerStart - offset)))
            guard !chunk.isEmpty else { throw damaged }
            chunk.withUnsafeBytes { hasher.update($0) }
            offset += Int64(chunk.count)
        }
        guard hasher.finalizeHex() == expected else {
            throw LsmError(
                .user, "\(path) does not match its checksum: it was changed or damaged after export", hint: "export the session again")
        }
        return expected
    }

    private static func read(_ descriptor: Int32, at offset: Int64, count: Int) -> [UInt8] {
        guard count > 0, offset >= 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let result = bytes.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress.map { $0 + filled }, count - filled, off_t(offset) + off_t(filled))
            }
            if result < 0 && errno == EINTR { continue }
            if result <= 0 { break }
            filled += result
        }
        return Array(bytes.prefix(filled))
    }

    /// Reads the verified bundle, writing each carried file under `staging` at its root and path.
    func read(into staging: String) throws(LsmError) -> Contents {
        var contents = Contents()
        var state = Section.start
        var output: ExportSink?
        var written: Int64 = 0
        var failure: LsmError?
        let malformed = LsmError(.user, "\(path) is not laid out as lsm writes bundles", hint: "export the session again")
        let outcome: LineScanner.Outcome
        do {
            outcome = try LineScanner(path: path).scan(from: 0) { line in
                guard failure == nil else { return }
                do {
                    try handle(line)
                } catch let error as LsmError {
                    failure = error
                } catch {
                    failure = LsmError.wrapping(error)
                }
            }
        } catch {
            throw LsmError(.user, "cannot read \(path): \(error.message)")
        }
        if let failure { throw failure }
        guard outcome.oversizedLines == 0, state == .done else { throw malformed }
        return contents

        func handle(_ line: UnsafeBufferPointer<UInt8>) throws(LsmError) {
            let text = { String(decoding: line, as: UTF8.self) }
            switch state {
            case .start:
                state = .header
            case .header:
                let value = text()
                if value.hasPrefix("\"redacted\":") {
                    contents.redacted = value.hasPrefix("\"redacted\":true")
                    state = .beforeEvents
                    return
                }
                contents.header += value + "\n"
                if value.hasPrefix("\"origin\":"), let object = Self.object(value, key: "origin") {
                    contents.originHost = object["host"] as? String ?? ""
                } else if value.hasPrefix("\"session\":"), let object = Self.object(value, key: "session") {
                    contents.agent = object["agent"] as? String ?? ""
                    contents.sessionID = object["id"] as? String ?? ""
                }
            case .beforeEvents:
                guard text() == SessionBundle.eventsLine else { throw malformed }
                state = .events
            case .events:
                if text() == "]," { state = .beforeFiles }
            case .beforeFiles:
                guard text() == SessionBundle.filesLine else { throw malformed }
                state = .files
            case .files:
                let value = text()
                if value == "]," {
                    state = .checksum
                    return
                }
                let suffix = ",\"lines\":["
                guard value.hasPrefix("{\"agent\":"), value.hasSuffix(suffix),
                    let data = (String(value.dropLast(suffix.count)) + "}").data(using: .utf8),
                    let entry = try? JSONDecoder().decode(SessionBundle.FileEntry.self, from: data)
                else { throw malformed }
                guard let root = TranscriptRoot(rawValue: entry.root), Self.isSafe(entry.path) else {
                    throw LsmError(.user, "\(path) names a file outside the transcript folders: \(entry.root)/\(entry.path)")
                }
                written = 0
                if entry.database {
                    output = nil
                    contents.files.append((entry, nil))
                } else {
                    let target = root.folder(in: staging) + "/" + entry.path
                    do {
                        try FileManager.default.createDirectory(
                            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    } catch {
                        throw LsmError(.user, "cannot write \(target)", cause: "\(error)")
                    }
                    output = try ExportSink(path: target)
                    contents.files.append((entry, target))
                }
                state = .lines
            case .lines:
                let closing = Array("],\"tail\":".utf8)
                if line.count >= closing.count, line.starts(with: closing) {
                    try finishFile(UnsafeBufferPointer(rebasing: line[closing.count...]))
                    state = .files
                    return
                }
                let element = UnsafeBufferPointer(rebasing: line[0..<(line.last == UInt8(ascii: ",") ? line.count - 1 : line.count)])
                guard let bytes = Self.decodeLine(element) else { throw malformed }
                bytes.withUnsafeBytes { output?.append($0) }
                output?.append(byte: 0x0A)
                written += Int64(bytes.count) + 1
            case .checksum:
                guard text().hasPrefix(SessionBundle.checksumKey) else { throw malformed }
                state = .done
            case .done:
                throw malformed
            }
        }

        /// `"tail":<string|null|{"base64":…}>,"bytes":N}` with an optional `,`.
        func finishFile(_ rest: UnsafeBufferPointer<UInt8>) throws(LsmError) {
            var index = 0
            if rest.starts(with: Array("null".utf8)) {
                index = 4
            } else if rest.first == UInt8(ascii: "\"") || rest.starts(with: Array("{\"base64\":\"".utf8)) {
                guard let end = Self.elementEnd(rest), let bytes = Self.decodeLine(UnsafeBufferPointer(rebasing: rest[0..<end])) else {
                    throw malformed
                }
                bytes.withUnsafeBytes { output?.append($0) }
                written += Int64(bytes.count)
                index = end
            } else {
                throw malformed
            }
            let remainder = String(decoding: UnsafeBufferPointer(rebasing: rest[index...]), as: UTF8.self)
            let number = remainder.dropFirst(",\"bytes\":".count).prefix { $0.isNumber }
            guard remainder.hasPrefix(",\"bytes\":"), let expected = Int64(number), expected == written || output == nil else {
                throw malformed
            }
            try output?.finish()
            output = nil
            if let last = contents.files.last, let target = last.written {
                // The agent's own time for the file, so readers that date a session by it agree.
                let seconds = last.entry.modified / 1_000_000_000
                let time = timespec(tv_sec: Int(seconds), tv_nsec: Int(last.entry.modified - seconds * 1_000_000_000))
                var times = [time, time]
                _ = utimensat(AT_FDCWD, target, &times, 0)
            }
        }
    }

    private enum Section {
        case start, header, beforeEvents, events, beforeFiles, files, lines, checksum, done
    }

    /// A line element: a JSON string, or `{"base64":"…"}`.
    private static func decodeLine(_ element: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        if element.first == UInt8(ascii: "\"") {
            guard let (value, end) = JSONText.unescape(element), end == element.count else { return nil }
            return value
        }
        let prefix = Array("{\"base64\":\"".utf8)
        guard element.starts(with: prefix), element.count > prefix.count + 2,
            element[element.count - 1] == UInt8(ascii: "}"), element[element.count - 2] == UInt8(ascii: "\"")
        else { return nil }
        let encoded = String(decoding: UnsafeBufferPointer(rebasing: element[prefix.count..<(element.count - 2)]), as: UTF8.self)
        return Data(base64Encoded: encoded).map { Array($0) }
    }

    /// Where the tail value at the start of `bytes` ends.
    private static func elementEnd(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        if bytes.first == UInt8(ascii: "\"") { return JSONText.unescape(bytes)?.end }
        guard let close = bytes.firstIndex(of: UInt8(ascii: "}")) else { return nil }
        return close + 1
    }

    private static func object(_ line: String, key: String) -> [String: Any]? {
        var value = line.dropFirst(key.count + 3)
        if value.hasSuffix(",") { value = value.dropLast() }
        return (try? JSONSerialization.jsonObject(with: Data(value.utf8))) as? [String: Any]
    }

    /// A relative path that stays inside its root.
    static func isSafe(_ relative: String) -> Bool {
        guard !relative.isEmpty, !relative.hasPrefix("/") else { return false }
        return !relative.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." || $0 == "." || $0.isEmpty }
    }
}
