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

    public init(state: AnchorState, path: String?, startLine: Int?, endLine: Int?) {
        self.state = state
        self.path = path
        self.startLine = startLine
        self.endLine = endLine
    }

    public static let orphaned = AnchorLocation(state: .orphaned, path: nil, startLine: nil, endLine: nil)
}

/// Finds an anchor's code at a target: the same blob keeps the same lines; otherwise the anchored
/// blob is diffed against the target's file (renames followed), lines outside changed hunks are
/// shifted, and anchored lines that were changed are looked for by content.
public struct Relocator {
    public let repository: Repository

    public init(repository: Repository) {
        self.repository = repository
    }

    /// The file a target holds for an anchor: its path after renames and its text.
    struct TargetFile {
        var path: String
        var blob: ObjectID
        var contents: Data
    }

    public func relocate(_ anchor: Anchor, to target: RelocationTarget) throws(LsmError) -> AnchorLocation {
        do {
            guard let file = try targetFile(for: anchor, at: target) else { return .orphaned }
            if file.blob.hex == anchor.blob {
                return AnchorLocation(state: .current, path: file.path, startLine: anchor.startLine, endLine: anchor.endLine)
            }
            let lines = FileLines.split(file.contents)
            guard let anchored = ObjectID(hex: anchor.blob), (try? repository.blobContents(anchored)) != nil else {
                return locateByContent(anchor, in: lines, path: file.path, expected: anchor.startLine)
            }
            let diff = try repository.diffBlob(
                anchored, toContents: file.contents, options: DiffOptions(contextLines: 0, detectRenames: false))
            let map = LineMap(diff)
            let mapped = (anchor.startLine...max(anchor.startLine, anchor.endLine)).map { map.newLine(for: $0) }
            if let first = mapped.first ?? nil, mapped.enumerated().allSatisfy({ $0.element == first + $0.offset }) {
                let state: AnchorState = file.path == anchor.path ? .current : .moved
                return AnchorLocation(state: state, path: file.path, startLine: first, endLine: first + mapped.count - 1)
            }
            let expected = map.nearestNewLine(for: anchor.startLine, lineCount: lines.count)
            return locateByContent(anchor, in: lines, path: file.path, expected: expected)
        } catch let error as LsmError {
            throw error
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    /// The anchored lines searched for in the whole file (normalized), nearest to `expected` first;
    /// `outdated` at `expected` when they are not there.
    func locateByContent(_ anchor: Anchor, in lines: [String], path: String, expected: Int) -> AnchorLocation {
        let wanted = anchor.lines.map(Anchor.normalized)
        let nearestSurviving = max(1, min(expected, max(lines.count, 1)))
        guard !wanted.isEmpty, wanted.count <= lines.count else {
            return AnchorLocation(state: .outdated, path: path, startLine: nearestSurviving, endLine: nearestSurviving)
        }
        let normalized = lines.map(Anchor.normalized)
        var best: Int?
        for start in 0...(normalized.count - wanted.count) where Array(normalized[start..<(start + wanted.count)]) == wanted {
            if best.map({ abs($0 + 1 - expected) > abs(start + 1 - expected) }) ?? true { best = start }
        }
        guard let best else { return AnchorLocation(state: .outdated, path: path, startLine: nearestSurviving, endLine: nearestSurviving) }
        let state: AnchorState = best + 1 == expected && path == anchor.path ? .current : .moved
        return AnchorLocation(state: state, path: path, startLine: best + 1, endLine: best + wanted.count)
    }

    /// The anchor's file at the target, following a rename since the anchor's commit; `nil` when the
    /// file is gone.
    func targetFile(for anchor: Anchor, at target: RelocationTarget) throws -> TargetFile? {
        let path = try targetPath(for: anchor, at: target)
        guard let path else { return nil }
        switch target {
        case .commit(let commit):
            guard let blob = try repository.blobID(at: path, in: commit) else { return nil }
            return TargetFile(path: path, blob: blob, contents: try repository.blobContents(blob))
        case .workingTree:
            guard let root = repository.workDirectory,
                let contents = FileManager.default.contents(atPath: (root as NSString).appendingPathComponent(path))
            else { return nil }
            return TargetFile(path: path, blob: try ObjectID.blob(hashing: contents), contents: contents)
        }
    }

    private func targetPath(for anchor: Anchor, at target: RelocationTarget) throws -> String? {
        if try exists(anchor.path, at: target) { return anchor.path }
        guard let from = ObjectID(hex: anchor.commit), (try? repository.commit(from)) != nil else { return nil }
        let diffs: [FileDiff]
        switch target {
        case .commit(let commit):
            diffs = try repository.diffTrees(from: from, to: commit, options: DiffOptions(detectRenames: true, filesOnly: true))
        case .workingTree:
            diffs = try repository.diffToWorkingTree(
                from: from, options: DiffOptions(detectRenames: true, includeUntracked: true, filesOnly: true))
        }
        guard let renamed = diffs.first(where: { $0.oldPath == anchor.path && $0.newPath != anchor.path && $0.status == .renamed }) else {
            return nil
        }
        return try exists(renamed.newPath, at: target) ? renamed.newPath : nil
    }

    private func exists(_ path: String, at target: RelocationTarget) throws -> Bool {
        switch target {
        case .commit(let commit):
            return try repository.blobID(at: path, in: commit) != nil
        case .workingTree:
            guard let root = repository.workDirectory else { return false }
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: (root as NSString).appendingPathComponent(path), isDirectory: &isDirectory)
                && !isDirectory.boolValue
        }
    }
}

/// Old line → new line for the lines a diff (without context lines) leaves unchanged.
struct LineMap {
    /// (oldStart, oldCount, newStart, newCount) of each hunk, in order.
    let hunks: [(oldStart: Int, oldCount: Int, newStart: Int, newCount: Int)]

    init(_ diff: FileDiff) {
        hunks = diff.hunks.map { ($0.oldStart, $0.oldCount, $0.newStart, $0.newCount) }
    }

    /// Where an unchanged old line is now; `nil` when a hunk deleted or replaced it.
    func newLine(for old: Int) -> Int? {
        var shift = 0
        for hunk in hunks {
            // A pure insertion (oldCount 0) sits after line `oldStart`.
            let firstChanged = hunk.oldCount == 0 ? hunk.oldStart + 1 : hunk.oldStart
            if old < firstChanged { break }
            if hunk.oldCount > 0 && old < hunk.oldStart + hunk.oldCount { return nil }
            shift += hunk.newCount - hunk.oldCount
        }
        return old + shift
    }

    /// The new line nearest to where `old` was: the line after the nearest surviving line before it,
    /// else the nearest surviving line after it.
    func nearestNewLine(for old: Int, lineCount: Int) -> Int {
        var line = old - 1
        while line >= 1 {
            if let mapped = newLine(for: line) { return min(mapped + 1, max(lineCount, 1)) }
            line -= 1
        }
        line = old + 1
        while line <= old + 10_000 {
            if let mapped = newLine(for: line) { return max(1, mapped - 1) }
            line += 1
        }
        return 1
    }
}
