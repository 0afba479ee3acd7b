import Foundation

/// One editing tool call of a session on a file lsm is blaming: the lines it added and the prompt
/// that led to it.
struct SessionEdit: Sendable, Equatable {
    /// The file, relative to the repository root.
    var path: String
    var timestamp: Date?
    /// The text of each line the edit wrote, trimmed; blank lines and lines the edit only kept are left out.
    var addedLines: Set<String>
    /// The model of the call that made the edit, when the transcript says.
    var model: String?
    /// The user's last prompt before the edit, shortened.
    var prompt: String?
}

/// A session's edits to the files being blamed, read from its transcripts.
struct SessionEdits: Sendable {
    /// Edits in the order they were made, per repository-relative path.
    var byPath: [String: [SessionEdit]] = [:]

    /// The latest edit at or before `time` that wrote `text` (a trimmed line), else the earliest one
    /// after it.
    func edit(writing text: String, in path: String, before time: Date) -> SessionEdit? {
        guard let edits = byPath[path] else { return nil }
        var after: SessionEdit?
        for edit in edits.reversed() where edit.addedLines.contains(text) {
            guard let timestamp = edit.timestamp, timestamp > time else { return edit }
            after = edit
        }
        return after
    }
}

/// Which files lsm is looking for in transcripts, and how to recognize their paths there: absolute
/// under the work tree, absolute in another checkout of the repository (matched by the path from the
/// root), or relative to the session's working directory.
struct EditTargets: Sendable {
    /// Paths relative to the repository root.
    let paths: Set<String>
    let workDirectory: String?
    /// The file names, which every line naming a target contains: the cheap test before decoding.
    let fileNames: [[UInt8]]

    init(paths: Set<String>, workDirectory: String?) {
        self.paths = paths
        self.workDirectory = workDirectory
        self.fileNames = Set(paths.map { ($0 as NSString).lastPathComponent }).sorted().map { Array($0.utf8) }
    }

    /// The target `path` (as a transcript wrote it) names, if any.
    func target(_ path: String, cwd: String?) -> String? {
        var candidate = path
        if !candidate.hasPrefix("/"), let cwd, cwd.hasPrefix("/") { candidate = cwd + "/" + candidate }
        if candidate.hasPrefix("/") {
            candidate = URL(fileURLWithPath: candidate).standardizedFileURL.path
            if let root = workDirectory, candidate.hasPrefix(root + "/") {
                let relative = String(candidate.dropFirst(root.count + 1))
                return paths.contains(relative) ? relative : nil
            }
        } else if paths.contains(candidate) {
            return candidate
        }
        return paths.first { candidate.hasSuffix("/" + $0) }
    }

    /// Whether `line` mentions one of the targets' file names.
    func mayName(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        fileNames.contains { ByteSearch.contains($0, in: line) }
    }
}

/// Substring tests on raw bytes, for filtering transcript lines before decoding them.
enum ByteSearch {
    static func contains(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Bool {
        needle.withUnsafeBufferPointer { contains($0, in: haystack) }
    }

    static func contains(_ literal: StaticString, in haystack: UnsafeBufferPointer<UInt8>) -> Bool {
        contains(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount), in: haystack)
    }

    /// `memchr` for the first byte, then `memcmp` (Glibc hides `memmem` from Swift).
    private static func contains(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = haystack.baseAddress, let pattern = needle.baseAddress, let first = needle.first, needle.count <= haystack.count
        else { return false }
        var position = 0
        while position + needle.count <= haystack.count {
            guard let hit = memchr(base + position, Int32(first), haystack.count - position - needle.count + 1) else { return false }
            let index = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if memcmp(base + index, pattern, needle.count) == 0 { return true }
            position = index + 1
        }
        return false
    }
}

extension SessionEdit {
    /// The trimmed, non-blank lines of `text`.
    static func lines(of text: String) -> Set<String> {
        var lines = Set<String>()
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { lines.insert(trimmed) }
        }
        return lines
    }

    /// The lines `new` has that `old` has not: what a replacement wrote rather than kept.
    static func addedLines(old: String, new: String) -> Set<String> {
        lines(of: new).subtracting(lines(of: old))
    }
}
