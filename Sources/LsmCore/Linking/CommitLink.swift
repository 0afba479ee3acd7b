import Foundation

/// A commit ↔ session link `git lsm link` inferred from a transcript, with its evidence and how sure
/// it is. Its JSON form is documented in docs/json.md.
public struct CommitLink: Sendable, Equatable, Codable {
    /// The commit's full id.
    public var commit: String
    public var agent: String
    /// The agent's own session id.
    public var session: String
    /// 0–1. 1 when the session's `git commit` output names the commit; from the share of the commit's
    /// added lines the session wrote otherwise; at most 0.3 for time and branch alone.
    public var confidence: Double
    /// Short sentences saying why.
    public var evidence: [String]
    /// How many of the commit's added non-blank lines the session's edits wrote, of how many.
    public var matchedLines: Int
    public var addedLines: Int
    /// Files the commit changed that the session edited, relative to the repository root.
    public var filesTouched: [String]

    /// Links at least this sure become notes with `--write-notes`.
    public static let noteThreshold = 0.6
}

/// What `git lsm link` found, and how many notes it wrote.
public struct LinkReport: Sendable, Equatable, Encodable {
    /// Strongest first, then newest commit first.
    public var links: [CommitLink]
    public var notesWritten: Int
    /// How many sessions and commits were compared (for the text output).
    public var sessionsExamined: Int
    public var commitsExamined: Int

    private enum CodingKeys: String, CodingKey {
        case links, notesWritten
    }
}

/// The evidence for one commit and one session, weighed.
public struct LinkEvidence: Sendable, Equatable {
    /// What a commit changed: its files and, per file, its added lines (compared as edits are).
    public struct Changes: Sendable, Equatable {
        public var files: Set<String>
        public var addedLines: [String: [String]]

        public init(files: Set<String>, addedLines: [String: [String]]) {
            self.files = files
            self.addedLines = addedLines
        }
    }

    /// As in `CommitLink`.
    public var confidence: Double
    public var evidence: [String]
    public var matchedLines: Int
    public var addedLines: Int
    public var filesTouched: [String]

    /// Weighs the evidence that the session made the commit; `nil` when there is none, or when the
    /// session's edits are known and none of them is in the commit.
    /// - Parameters:
    ///   - edits: the session's edits made by the commit's time, per file relative to the root.
    ///   - namedInOutput: whether a `git commit` call of the session printed the commit's id.
    ///   - sessionEdits: whether the session's transcript shows any edit at all.
    ///   - branch: the session's branch, when the commit is on it.
    public static func weigh(
        _ changes: Changes, shortID: String, edits: [String: Set<String>], namedInOutput: Bool, sessionEdits: Bool, branch: String?
    ) -> LinkEvidence? {
        let touched = changes.files.intersection(edits.keys).sorted()
        var added = 0
        var matched = 0
        for (file, lines) in changes.addedLines {
            added += lines.count
            guard let written = edits[file] else { continue }
            matched += lines.filter(written.contains).count
        }
        var evidence: [String] = []
        var confidence: Double
        if namedInOutput {
            evidence.append("its git commit printed \(shortID)")
            confidence = 1
        } else if matched > 0 {
            confidence = min(0.95, 0.3 + 0.65 * Double(matched) / Double(added))
        } else if !touched.isEmpty {
            // Files in common but no added line to compare (deletions, renames), or none matching.
            confidence = added == 0 ? 0.4 : 0.25
        } else if !sessionEdits, let branch {
            return LinkEvidence(
                confidence: 0.2, evidence: ["active on \(branch) when it was committed; no edits in its transcript to compare"],
                matchedLines: 0, addedLines: added, filesTouched: [])
        } else {
            return nil
        }
        if matched > 0 {
            evidence.append("its edits wrote \(matched) of the \(added) added lines")
        } else if !touched.isEmpty {
            evidence.append(
                added == 0 ? "it edited the files changed" : "it edited the files changed, but none of the \(added) added lines")
        }
        if !touched.isEmpty {
            let shown = touched.prefix(3).joined(separator: ", ")
            evidence.append("files: " + (touched.count > 3 ? "\(shown) +\(touched.count - 3)" : shown))
        }
        return LinkEvidence(
            confidence: (confidence * 100).rounded() / 100, evidence: evidence, matchedLines: matched, addedLines: added,
            filesTouched: touched)
    }
}
