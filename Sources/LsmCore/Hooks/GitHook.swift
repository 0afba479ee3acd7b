import Foundation

/// A git hook lsm installs, with its script (from the top-level `hooks/` folder, embedded in the
/// binary) and the marked block that goes into an existing hook.
public enum GitHook: String, CaseIterable, Sendable, Codable {
    case postCommit = "post-commit"
    case postRewrite = "post-rewrite"
    case prepareCommitMessage = "prepare-commit-msg"

    static let startMarker = "# >>> git-lsm >>>"
    static let endMarker = "# <<< git-lsm <<<"
    /// Set on the start marker of a hook file lsm created, so uninstalling deletes it.
    static let createdFlag = "(file created by git-lsm)"
    /// Set on the start marker when lsm had to add a line break after the first line.
    static let addedLineBreakFlag = "(line break added by git-lsm)"
    static let chainStartMarker = "# >>> git-lsm chain >>>"
    static let chainEndMarker = "# <<< git-lsm chain <<<"
    /// The suffix of a non-shell hook lsm moved aside and calls from its own script.
    static let chainedSuffix = ".lsm-chained"

    /// The whole script written when there is no hook yet.
    public var script: String {
        switch self {
        case .postCommit: String(decoding: PackageResources.post_commit, as: UTF8.self)
        case .postRewrite: String(decoding: PackageResources.post_rewrite, as: UTF8.self)
        case .prepareCommitMessage: String(decoding: PackageResources.prepare_commit_msg, as: UTF8.self)
        }
    }

    /// The marked lines lsm inserts into an existing shell hook: from the start marker to the end
    /// marker, each line with its line break.
    var block: String {
        let lines = script.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix(Self.startMarker) }),
            let end = lines.firstIndex(where: { $0.hasPrefix(Self.endMarker) }), start <= end
        else { return "" }
        return lines[start...end].joined(separator: "\n") + "\n"
    }
}

/// The marked block found in a hook file.
struct HookBlock: Equatable {
    /// The block's lines (markers included) as a range of the file's lines.
    var lines: Range<Int>
    var created: Bool
    var addedLineBreak: Bool
    /// The block's text with its start marker as a fresh install writes it.
    var normalizedText: String

    /// Finds lsm's block in a hook's text.
    static func find(in text: String) -> HookBlock? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix(GitHook.startMarker) }) else { return nil }
        guard let end = lines[start...].firstIndex(where: { $0.hasPrefix(GitHook.endMarker) }) else { return nil }
        let marker = lines[start]
        var body = lines[start...end].map(String.init)
        body[0] = GitHook.startMarker
        return HookBlock(
            lines: start..<(end + 1), created: marker.contains(GitHook.createdFlag),
            addedLineBreak: marker.contains(GitHook.addedLineBreakFlag),
            normalizedText: body.joined(separator: "\n") + "\n")
    }
}
