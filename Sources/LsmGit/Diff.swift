/// One line of a diff hunk.
public struct DiffLine: Sendable, Equatable {
    /// Whether the line is shared, added or removed.
    public enum Origin: Sendable, Equatable {
        case context
        case addition
        case deletion
    }

    public let origin: Origin
    /// 1-based line number in the old side; `nil` for added lines.
    public let oldLine: Int?
    /// 1-based line number in the new side; `nil` for removed lines.
    public let newLine: Int?
    /// The line's text without its line ending.
    public let text: String

    public init(origin: Origin, oldLine: Int?, newLine: Int?, text: String) {
        self.origin = origin
        self.oldLine = oldLine
        self.newLine = newLine
        self.text = text
    }
}

/// A contiguous changed region of a file.
public struct DiffHunk: Sendable, Equatable {
    /// First line of the region in the old side (1-based; 0 when the old side is empty).
    public let oldStart: Int
    public let oldCount: Int
    /// First line of the region in the new side (1-based; 0 when the new side is empty).
    public let newStart: Int
    public let newCount: Int
    public let lines: [DiffLine]
}

/// The change to one file between two sides of a diff.
public struct FileDiff: Sendable, Equatable {
    /// What happened to the file.
    public enum Status: Sendable, Equatable {
        case added
        case deleted
        case modified
        case renamed
        case copied
        case typeChanged
        case untracked
        case unmodified
    }

    public let status: Status
    /// The path on the old side (the same as `newPath` unless renamed or copied).
    public let oldPath: String
    public let newPath: String
    /// The blob on the old side; `nil` when the file did not exist there.
    public let oldBlob: ObjectID?
    /// The blob on the new side; `nil` when the file does not exist there, or is a working-tree file not
    /// yet hashed.
    public let newBlob: ObjectID?
    /// Rename or copy similarity, 0–100.
    public let similarity: Int
    public let isBinary: Bool
    public let hunks: [DiffHunk]
}

/// Options shared by every diff.
public struct DiffOptions: Sendable {
    /// Lines of unchanged context around each hunk.
    public var contextLines: Int = 3
    /// Pair deleted and added files with similar content as renames (and copies of changed files).
    public var detectRenames: Bool = true
    /// Include files git does not track yet (working-tree diffs only).
    public var includeUntracked: Bool = false
    /// Skip computing hunks, for when only the list of files matters.
    public var filesOnly: Bool = false

    public init(contextLines: Int = 3, detectRenames: Bool = true, includeUntracked: Bool = false, filesOnly: Bool = false) {
        self.contextLines = contextLines
        self.detectRenames = detectRenames
        self.includeUntracked = includeUntracked
        self.filesOnly = filesOnly
    }
}
