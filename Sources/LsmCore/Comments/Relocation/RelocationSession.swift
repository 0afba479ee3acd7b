import Foundation
import LsmGit

/// One relocation to one target: what it reads from git is cached, so that many anchors cost one
/// read of each target file, one diff per (anchored blob, target file), one rename search per anchor
/// commit and — only when some anchor's code left its file — one look at the other files the
/// target changed.
final class RelocationSession {
    /// How lines that a hunk touched are treated.
    enum Strategy {
        /// Re-found by content and context, moved blocks looked for (the relocator).
        case full
        /// Plain diff mapping (Gerrit's and GitLab's): a range a hunk touched is `outdated`. The
        /// benchmark's baseline.
        case diffShift
    }

    let repository: Repository
    let target: RelocationTarget
    let strategy: Strategy
    private let targetTree: ObjectID?
    private let workDirectory: String?

    /// A file at the target: its blob, and its text once read.
    private final class TargetFile {
        let path: String
        let blob: ObjectID
        var contents: Data?
        lazy var version: TextVersion? = contents.flatMap { FileLines.isBinary($0) ? nil : TextVersion(contents: $0) }

        init(path: String, blob: ObjectID, contents: Data?) {
            self.path = path
            self.blob = blob
            self.contents = contents
        }
    }

    private var files: [String: TargetFile?] = [:]
    private var renames: [String: [String: String]] = [:]
    private var anchoredVersions: [String: TextVersion?] = [:]
    private var locators: [String: RangeLocator?] = [:]
    private var changedFiles: [String: ChangedFiles] = [:]

    init(repository: Repository, target: RelocationTarget, strategy: Strategy = .full) throws(GitError) {
        self.repository = repository
        self.target = target
        self.strategy = strategy
        switch target {
        case .commit(let commit):
            targetTree = try repository.commit(commit).tree
            workDirectory = nil
        case .workingTree:
            targetTree = nil
            workDirectory = repository.workDirectory
        }
    }

    func relocate(_ anchor: Anchor) throws -> AnchorLocation {
        guard let path = try targetPath(for: anchor), let file = try file(at: path) else {
            return strategy == .full ? try movedToAnotherFile(anchor, excluding: nil) ?? .orphaned : .orphaned
        }
        if file.blob.hex == anchor.blob {
            return AnchorLocation(
                state: path == anchor.path ? .current : .moved, path: path, startLine: anchor.startLine, endLine: anchor.endLine,
                startColumn: anchor.startColumn, endColumn: anchor.endColumn)
        }
        guard let old = anchoredVersion(anchor.blob) else { return try locateWithoutHistory(anchor, in: file) }
        guard let locator = try locator(from: anchor.blob, old: old, to: file) else {
            let line = max(1, min(anchor.startLine, file.version?.count ?? 1))
            return AnchorLocation(state: .outdated, path: path, startLine: line, endLine: line)
        }
        let match =
            strategy == .full
            ? locator.locate(start: anchor.startLine, end: anchor.endLine) : locator.shift(start: anchor.startLine, end: anchor.endLine)
        if strategy == .full, match.lost, let moved = try movedToAnotherFile(anchor, excluding: path) { return moved }
        var state = match.state
        if state == .current && path != anchor.path { state = .moved }
        var location = AnchorLocation(state: state, path: path, startLine: match.start, endLine: match.end)
        switch state {
        case .current, .moved:
            location.startColumn = anchor.startColumn
            location.endColumn = anchor.endColumn
        case .changed:
            location.startColumn = anchor.startColumn.flatMap {
                ColumnLocator.column($0, from: anchor.lines.first ?? "", to: locator.new.lines[match.start - 1])
            }
            location.endColumn = anchor.endColumn.flatMap {
                ColumnLocator.column($0, from: anchor.lines.last ?? "", to: locator.new.lines[match.end - 1])
            }
        case .outdated, .orphaned:
            break
        }
        return location
    }

    // MARK: - Files at the target

    /// The anchor's path at the target: the same path, or where a rename since the anchor's commit
    /// took it; `nil` when the file is gone.
    private func targetPath(for anchor: Anchor) throws -> String? {
        if try file(at: anchor.path) != nil { return anchor.path }
        guard let renamed = try renamesSince(anchor.commit)[anchor.path], try file(at: renamed) != nil else { return nil }
        return renamed
    }

    private func file(at path: String) throws -> TargetFile? {
        if let cached = files[path] { return cached }
        let file: TargetFile?
        switch target {
        case .commit:
            if let tree = targetTree, let entry = try repository.entry(at: path, inTree: tree),
                [.file, .executable, .symbolicLink].contains(entry.kind)
            {
                file = TargetFile(path: path, blob: entry.id, contents: nil)
            } else {
                file = nil
            }
        case .workingTree:
            if let root = workDirectory,
                let contents = FileManager.default.contents(atPath: (root as NSString).appendingPathComponent(path))
            {
                file = TargetFile(path: path, blob: try ObjectID.blob(hashing: contents), contents: contents)
            } else {
                file = nil
            }
        }
        files[path] = file
        return file
    }

    private func version(of file: TargetFile) throws -> TextVersion? {
        if file.contents == nil { file.contents = try repository.blobContents(file.blob) }
        return file.version
    }

    /// Old path → new path for the files renamed between `commit` and the target (in the working
    /// tree, a deleted file and an untracked one with similar content count).
    private func renamesSince(_ commit: String) throws -> [String: String] {
        if let cached = renames[commit] { return cached }
        var found: [String: String] = [:]
        if let from = ObjectID(hex: commit), (try? repository.commit(from)) != nil {
            for diff in try diffs(since: from, filesOnly: true) where diff.status == .renamed && diff.oldPath != diff.newPath {
                found[diff.oldPath] = diff.newPath
            }
        }
        renames[commit] = found
        return found
    }

    private func diffs(since commit: ObjectID, filesOnly: Bool) throws -> [FileDiff] {
        switch target {
        case .commit(let to):
            return try repository.diffTrees(
                from: commit, to: to, options: DiffOptions(contextLines: 0, detectRenames: true, filesOnly: filesOnly))
        case .workingTree:
            return try repository.diffToWorkingTree(
                from: commit, options: DiffOptions(contextLines: 0, detectRenames: true, includeUntracked: true, filesOnly: filesOnly))
        }
    }

    // MARK: - Versions and their diffs

    private func anchoredVersion(_ blob: String) -> TextVersion? {
        if let cached = anchoredVersions[blob] { return cached }
        let version = ObjectID(hex: blob).flatMap { try? repository.blobContents($0) }.flatMap {
            FileLines.isBinary($0) ? nil : TextVersion(contents: $0)
        }
        anchoredVersions[blob] = version
        return version
    }

    private func locator(from anchoredBlob: String, old: TextVersion, to file: TargetFile) throws -> RangeLocator? {
        let key = anchoredBlob + " " + file.blob.hex
        if let cached = locators[key] { return cached }
        var locator: RangeLocator?
        if let new = try version(of: file), let anchored = ObjectID(hex: anchoredBlob) {
            let options = DiffOptions(contextLines: 0, detectRenames: false)
            let diff: FileDiff
            switch target {
            case .commit: diff = try repository.diffBlobs(from: anchored, to: file.blob, options: options)
            case .workingTree: diff = try repository.diffBlob(anchored, toContents: file.contents ?? Data(), options: options)
            }
            locator = RangeLocator(old: old, new: new, map: LineMap(diff))
        }
        locators[key] = locator
        return locator
    }

    /// Without the anchored blob (it should always be there): the anchored lines looked for by
    /// content, with their stored context standing in for the old file.
    private func locateWithoutHistory(_ anchor: Anchor, in file: TargetFile) throws -> AnchorLocation {
        guard let new = try version(of: file) else {
            return AnchorLocation(state: .outdated, path: file.path, startLine: 1, endLine: 1)
        }
        let old = TextVersion(lines: anchor.before + anchor.lines + anchor.after)
        let start = anchor.before.count + 1
        let end = start + anchor.lines.count - 1
        let expected = max(1, min(anchor.startLine, new.count))
        if !anchor.lines.isEmpty, anchor.startLine + anchor.lines.count - 1 <= new.count,
            (0..<anchor.lines.count).allSatisfy({ old.normalized[start - 1 + $0] == new.normalized[anchor.startLine - 1 + $0] })
        {
            return AnchorLocation(
                state: file.path == anchor.path ? .current : .moved, path: file.path, startLine: anchor.startLine, endLine: anchor.endLine)
        }
        if !anchor.lines.isEmpty, let found = old.findBlock(start: start, end: end, in: new, isAdded: { _ in true }, expected: expected) {
            return AnchorLocation(state: .moved, path: file.path, startLine: found.start, endLine: found.start + end - start)
        }
        return AnchorLocation(state: .outdated, path: file.path, startLine: expected, endLine: expected)
    }

    // MARK: - Blocks moved to other files

    /// The lines the target added to each file changed since a commit, indexed by their normalized text.
    private struct ChangedFiles {
        var paths: [String] = []
        var added: [Set<Int>] = []
        var index: [String: [Int]] = [:]
    }

    /// The anchored block, unchanged, in another file the target changed, with its context: `moved`
    /// there; `nil` when no other file took it.
    private func movedToAnotherFile(_ anchor: Anchor, excluding path: String?) throws -> AnchorLocation? {
        guard let old = anchoredVersion(anchor.blob), anchor.startLine >= 1, anchor.endLine >= anchor.startLine,
            anchor.endLine <= old.count,
            let key = (anchor.startLine...anchor.endLine).first(where: { old.isInformative($0 - 1) })
        else { return nil }
        let changed = try changedFiles(since: anchor.commit)
        var best: (evidence: Double, location: AnchorLocation)?
        for fileIndex in Set(changed.index[old.normalized[key - 1]] ?? []) where changed.paths[fileIndex] != path {
            guard let file = try file(at: changed.paths[fileIndex]), let version = try version(of: file) else { continue }
            let added = changed.added[fileIndex]
            guard
                let found = old.findBlock(
                    start: anchor.startLine, end: anchor.endLine, in: version, isAdded: { added.contains($0) }, expected: 0)
            else { continue }
            if best.map({ found.evidence > $0.evidence }) ?? true {
                let location = AnchorLocation(
                    state: .moved, path: file.path, startLine: found.start, endLine: found.start + anchor.endLine - anchor.startLine,
                    startColumn: anchor.startColumn, endColumn: anchor.endColumn)
                best = (found.evidence, location)
            }
        }
        return best?.location
    }

    private func changedFiles(since commit: String) throws -> ChangedFiles {
        if let cached = changedFiles[commit] { return cached }
        var changed = ChangedFiles()
        if let from = ObjectID(hex: commit), (try? repository.commit(from)) != nil {
            for diff in try diffs(since: from, filesOnly: false) where diff.status != .deleted && !diff.isBinary {
                let fileIndex = changed.paths.count
                var added = Set<Int>()
                if diff.status == .copied, let file = try file(at: diff.newPath), let version = try version(of: file) {
                    // A copy's lines are all new here, though its diff is against the file it copies.
                    added = Set(1...max(version.count, 1))
                    for line in version.normalized where !line.isEmpty { changed.index[line, default: []].append(fileIndex) }
                } else {
                    for line in diff.hunks.lazy.flatMap(\.lines) where line.origin == .addition {
                        guard let number = line.newLine else { continue }
                        added.insert(number)
                        let text = Anchor.normalized(line.text)
                        if !text.isEmpty { changed.index[text, default: []].append(fileIndex) }
                    }
                }
                changed.paths.append(diff.newPath)
                changed.added.append(added)
            }
        }
        changedFiles[commit] = changed
        return changed
    }
}
