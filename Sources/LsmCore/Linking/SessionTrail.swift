import Foundation

/// What a session's transcript shows of its work on git: the lines its editing tools wrote to each
/// file, and the commits its `git commit` calls reported. `git lsm link` compares these with commits.
struct SessionTrail: Sendable, Equatable {
    /// One editing call (Edit, MultiEdit, Write, NotebookEdit, apply_patch) on one file.
    struct Edit: Sendable, Equatable {
        /// As the tool named it: absolute (Claude Code) or relative to the session's directory (Codex).
        var path: String
        /// The lines it wrote, trimmed, blank ones left out.
        var lines: [String]
        var time: Date?
    }

    /// A commit a `git commit` call's output named (`[main 1a2b3c4] subject`).
    struct NamedCommit: Sendable, Equatable {
        /// The abbreviated (or full) id as printed.
        var hash: String
        var time: Date?
    }

    var edits: [Edit] = []
    var namedCommits: [NamedCommit] = []

    /// The non-blank lines of `text`, trimmed, as edits and diffs are compared.
    static func comparableLines<S: StringProtocol>(_ text: S) -> [String] {
        text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline).compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }
    }
}

/// Reads the commits `git commit` reports in its output: `[branch abc1234] subject`, also
/// `[main (root-commit) abc1234]` and `[detached HEAD abc1234]`.
public enum GitCommitOutput {
    /// The ids named, in order. The output may still be JSON-escaped (Codex wraps it in a JSON string).
    public static func commitIDs(in output: String) -> [String] {
        var found: [String] = []
        var rest = output[...]
        while let open = rest.firstIndex(of: "[") {
            rest = rest[rest.index(after: open)...]
            guard let close = rest.prefix(300).firstIndex(where: { $0 == "]" || $0 == "[" || $0.isNewline }), rest[close] == "]" else {
                continue
            }
            let words = rest[..<close].split(separator: " ")
            rest = rest[rest.index(after: close)...]
            guard words.count >= 2, let last = words.last, (7...40).contains(last.count), last.allSatisfy(\.isHexDigit) else { continue }
            let id = last.lowercased()
            if !found.contains(id) { found.append(id) }
        }
        return found
    }
}

extension CodexPatch {
    /// The lines an `apply_patch` payload adds, per file it names (`*** Add File:`, `*** Update File:`,
    /// and the target of `*** Move to:`), compared as `SessionTrail.comparableLines` compares them.
    public static func addedLines(_ patch: String) -> [(path: String, lines: [String])] {
        var files: [(path: String, lines: [String])] = []
        var current: Int?
        for line in patch.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            if let path = Self.value(of: line, after: "*** Add File: ") ?? Self.value(of: line, after: "*** Update File: ") {
                files.append((path, []))
                current = files.count - 1
            } else if let path = Self.value(of: line, after: "*** Move to: "), let index = current {
                files[index].path = path
            } else if line.hasPrefix("*** ") {
                current = nil  // Delete File, End Patch, End of File
            } else if let index = current, line.hasPrefix("+") {
                let trimmed = line.dropFirst().trimmingCharacters(in: .whitespaces)
                if !trimmed.isEmpty { files[index].lines.append(trimmed) }
            }
        }
        return files
    }

    private static func value(of line: Substring, after marker: String) -> String? {
        guard line.hasPrefix(marker) else { return nil }
        let value = line.dropFirst(marker.count).trimmingCharacters(in: .whitespaces)
        return value.isEmpty ? nil : value
    }
}
