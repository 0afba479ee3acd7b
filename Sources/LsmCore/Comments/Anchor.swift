import Foundation
import LsmGit

/// Where a comment thread was made: the file's path and blob at a commit (or in the working tree on
/// top of it), the line range, the anchored lines and three lines of context on each side, so the
/// thread can be found again after the code changes — even when the commit is gone.
public struct Anchor: Codable, Sendable, Equatable {
    /// The commit the anchor was made on (HEAD, for a working-tree anchor).
    public var commit: String
    /// The file's path (relative to the repository root) in that version.
    public var path: String
    /// The blob of the file as it was anchored (the working-tree text's blob for working-tree anchors;
    /// the thread's first commit keeps this blob, so it travels with the thread).
    public var blob: String
    /// The anchored lines, 1-based and inclusive.
    public var startLine: Int
    public var endLine: Int
    /// Columns within the first and last line (1-based, in characters), when the comment names them.
    public var startColumn: Int?
    public var endColumn: Int?
    /// The anchored lines' text.
    public var lines: [String]
    /// Up to three lines before and after the range.
    public var before: [String]
    public var after: [String]
    /// Hash of the anchored lines with whitespace normalized: equal fingerprints mean the same code.
    public var fingerprint: String

    public static let contextLines = 3

    /// The anchor for lines `startLine...endLine` of a file whose text is `lines`.
    public init(
        commit: String, path: String, blob: String, startLine: Int, endLine: Int, startColumn: Int? = nil, endColumn: Int? = nil,
        fileLines: [String]
    ) {
        self.commit = commit
        self.path = path
        self.blob = blob
        self.startLine = startLine
        self.endLine = endLine
        self.startColumn = startColumn
        self.endColumn = endColumn
        let start = startLine - 1
        let end = min(endLine, fileLines.count)
        self.lines = start < end ? Array(fileLines[start..<end]) : []
        self.before = Array(fileLines[max(0, start - Self.contextLines)..<max(0, min(start, fileLines.count))])
        self.after = end < fileLines.count ? Array(fileLines[end..<min(fileLines.count, end + Self.contextLines)]) : []
        self.fingerprint = Self.fingerprint(of: lines)
    }

    /// A line with runs of whitespace collapsed and the ends trimmed: what stays equal when only
    /// indentation or spacing changed.
    public static func normalized(_ line: String) -> String {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }

    public static func fingerprint(of lines: [String]) -> String {
        let text = lines.map(normalized).joined(separator: "\n")
        return (try? ObjectID.blob(hashing: Data(text.utf8)).hex) ?? ""
    }
}

/// A file's text split into lines the way anchors count them: by `\n`, without a trailing empty line
/// for a final line break.
public enum FileLines {
    public static func split(_ data: Data) -> [String] {
        var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Whether `data` looks binary (a NUL byte in its first 8 KB, as git decides).
    public static func isBinary(_ data: Data) -> Bool {
        data.prefix(8000).contains(0)
    }
}
