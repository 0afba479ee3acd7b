import Foundation
import LsmGit

/// What a thread is relocated to: the working tree (uncommitted edits included) or a commit.
public enum RelocationTarget: Sendable, Equatable {
    case workingTree
    case commit(ObjectID)
}

/// How an anchor's code fares at a target.
public enum AnchorState: String, Codable, Sendable, Equatable {
    /// The anchored text is there unchanged, where line shifts put it.
    case current
    /// Unchanged, but elsewhere than a line shift would put it: a moved block, or another file.
    case moved
    /// Edited in place; shown where it now is.
    case changed
    /// Deleted; shown at the nearest surviving line.
    case outdated
    /// The file is gone.
    case orphaned
}

/// Where an anchor's code is at a target.
public struct AnchorLocation: Codable, Sendable, Equatable {
    public var state: AnchorState
    /// The file at the target (after renames); `nil` when orphaned.
    public var path: String?
    /// 1-based, inclusive; for `outdated`, the nearest surviving line; `nil` when orphaned.
    public var startLine: Int?
    public var endLine: Int?
    /// The anchor's columns where its first and last lines are now: kept as they were when the text
    /// is unchanged, found again by the characters around them when it changed; `nil` otherwise.
    public var startColumn: Int?
    public var endColumn: Int?

    public init(state: AnchorState, path: String?, startLine: Int?, endLine: Int?, startColumn: Int? = nil, endColumn: Int? = nil) {
        self.state = state
        self.path = path
        self.startLine = startLine
        self.endLine = endLine
        self.startColumn = startColumn
        self.endColumn = endColumn
    }

    public static let orphaned = AnchorLocation(state: .orphaned, path: nil, startLine: nil, endLine: nil)
}

/// Finds anchors' code at a target (DESIGN.md, "Comment relocation"): the same blob keeps the same
/// lines; otherwise the anchored blob is diffed against the target's file (renames followed), lines
/// outside hunks are shifted, lines inside hunks are re-found by content and context (LHDiff), and a
/// block that left its place unchanged is looked for in the file and in the other files the target
/// changed. Code that was deleted is `outdated` at the nearest surviving line, never shown as
/// current, moved or changed somewhere else.
public struct Relocator {
    public let repository: Repository

    public init(repository: Repository) {
        self.repository = repository
    }

    /// Where one anchor's code is at `target`.
    public func relocate(_ anchor: Anchor, to target: RelocationTarget) throws(LsmError) -> AnchorLocation {
        try relocate([anchor], to: target).first ?? .orphaned
    }

    /// Where each anchor's code is at `target`, in the same order: each target file is read once and
    /// each (anchored blob, target file) pair diffed once, however many threads share them.
    public func relocate(_ anchors: [Anchor], to target: RelocationTarget) throws(LsmError) -> [AnchorLocation] {
        try relocate(anchors, to: target, strategy: .full)
    }

    /// `strategy` `.diffShift` is the plain-diff baseline the benchmark measures against.
    func relocate(_ anchors: [Anchor], to target: RelocationTarget, strategy: RelocationSession.Strategy) throws(LsmError)
        -> [AnchorLocation]
    {
        do {
            let session = try RelocationSession(repository: repository, target: target, strategy: strategy)
            var locations: [AnchorLocation] = []
            locations.reserveCapacity(anchors.count)
            for anchor in anchors { locations.append(try session.relocate(anchor)) }
            return locations
        } catch let error as LsmError {
            throw error
        } catch {
            throw LsmError.wrapping(error)
        }
    }
}
