import Foundation
import LsmGit

/// A run of consecutive lines of a file that the same commit last changed.
public struct BlameHunk: Sendable, Equatable {
    /// The first line of the run in the blamed version (1-based).
    public let startLine: Int
    public let lineCount: Int
    /// The commit that last changed these lines.
    public let commit: ObjectID
    /// The file's path in that commit (differs when the file was renamed since).
    public let originalPath: String
    /// The first line of the run in that commit's version of the file (1-based).
    public let originalStartLine: Int

    public init(startLine: Int, lineCount: Int, commit: ObjectID, originalPath: String, originalStartLine: Int) {
        self.startLine = startLine
        self.lineCount = lineCount
        self.commit = commit
        self.originalPath = originalPath
        self.originalStartLine = originalStartLine
    }
}

/// Line ownership from `git blame --incremental`, git's own blame: it walks a long history an order
/// of magnitude faster than libgit2's (0.15 s against 2.7 s for a file of 300 commits under 10,000),
/// and it honours the user's `blame.*` settings such as `blame.ignoreRevsFile`.
public enum GitBlame {
    /// Who last changed each line of `path` (relative to the repository root) as of `commit`,
    /// following renames; hunks in line order.
    public static func hunks(path: String, at commit: ObjectID, repositoryRoot: String, git: GitCommand) throws(LsmError)
        -> [BlameHunk]
    {
        let output = try git.run(["-C", repositoryRoot, "blame", "--incremental", commit.hex, "--", path])
        return try parse(output)
    }

    /// Parses the `--incremental` format: per hunk a line `<commit> <original line> <final line> <count>`,
    /// header lines the first time a commit appears, and a closing `filename <path>` (C-quoted when the
    /// path has unusual characters).
    static func parse(_ output: String) throws(LsmError) -> [BlameHunk] {
        var hunks: [BlameHunk] = []
        var pending: (commit: ObjectID, original: Int, final: Int, count: Int)?
        for line in output.split(separator: "\n", omittingEmptySubsequences: true) {
            if let open = pending {
                guard line.hasPrefix("filename ") else { continue }
                let path = unquote(line.dropFirst("filename ".count))
                hunks.append(
                    BlameHunk(
                        startLine: open.final, lineCount: open.count, commit: open.commit, originalPath: path,
                        originalStartLine: open.original))
                pending = nil
                continue
            }
            let fields = line.split(separator: " ")
            guard fields.count == 4, let commit = ObjectID(hex: String(fields[0])),
                let original = Int(fields[1]), let final = Int(fields[2]), let count = Int(fields[3])
            else {
                throw LsmError(.internal, "unexpected output from git blame", cause: String(line.prefix(120)))
            }
            pending = (commit, original, final, count)
        }
        if pending != nil { throw LsmError(.internal, "git blame's output ended inside a hunk") }
        return hunks.sorted { $0.startLine < $1.startLine }
    }

    /// Undoes git's C-style path quoting (`"dir/\303\244 \"x\".txt"`); an unquoted path is returned as is.
    static func unquote(_ text: Substring) -> String {
        guard text.count >= 2, text.first == "\"", text.last == "\"" else { return String(text) }
        var bytes: [UInt8] = []
        var characters = Array(text.utf8.dropFirst().dropLast())[...]
        while let byte = characters.popFirst() {
            guard byte == UInt8(ascii: "\\"), let escaped = characters.popFirst() else {
                bytes.append(byte)
                continue
            }
            switch escaped {
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "a"): bytes.append(0x07)
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "v"): bytes.append(0x0B)
            case UInt8(ascii: "0")...UInt8(ascii: "3"):
                var value = Int(escaped - UInt8(ascii: "0"))
                for _ in 0..<2 {
                    guard let digit = characters.first, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(digit) else { break }
                    value = value * 8 + Int(digit - UInt8(ascii: "0"))
                    characters.removeFirst()
                }
                bytes.append(UInt8(value))
            default: bytes.append(escaped)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
