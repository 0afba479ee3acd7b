import Foundation

/// A transcript file on disk, with what `stat` says about it now.
public struct TranscriptFile: Sendable, Equatable {
    public var path: String
    public var agent: AgentKind
    public var device: UInt64
    public var inode: UInt64
    public var size: UInt64
    /// Modification time, seconds since 1970.
    public var modified: Double
}

/// Finds files by walking folders with `readdir`, which is many times faster than `FileManager`'s
/// enumerator on large trees, and stats each match. Large trees are walked on every core: most of a
/// warm `status` is the kernel listing folders and stating files.
enum DirectoryWalker {
    typealias Found = (path: String, stat: stat)

    /// Regular files under `root` (recursively) whose name passes `matches`, sorted by path; empty
    /// when `root` does not exist or cannot be read.
    static func files(under root: String, matching matches: @Sendable (String) -> Bool) -> [Found] {
        var found: [Found] = []
        var folders = [root]
        // Breadth first until there is enough work to share (a tree of a few folders is walked here).
        let cores = ProcessInfo.processInfo.activeProcessorCount
        while !folders.isEmpty, cores == 1 || folders.count < 4 * cores {
            var next: [String] = []
            for folder in folders { scan(folder, matching: matches, into: &found, folders: &next) }
            folders = next
        }
        if !folders.isEmpty {
            let subfolders = folders
            var subtrees = [[Found]](repeating: [], count: subfolders.count)
            subtrees.withUnsafeMutableBufferPointer { results in
                // Each iteration writes its own element only.
                nonisolated(unsafe) let results = results
                DispatchQueue.concurrentPerform(iterations: subfolders.count) { index in
                    var local: [Found] = []
                    var pending = [subfolders[index]]
                    while let folder = pending.popLast() { scan(folder, matching: matches, into: &local, folders: &pending) }
                    results[index] = local
                }
            }
            for subtree in subtrees { found += subtree }
        }
        // Byte order (SQLite's too): comparing bytes skips Unicode's rules, most of a warm walk's sort.
        return found.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    /// The matching files of one folder into `found`, its subfolders into `folders`.
    private static func scan(_ folder: String, matching matches: (String) -> Bool, into found: inout [Found], folders: inout [String]) {
        // Stat entries relative to the open folder, so the kernel does not walk the path again.
        let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folderDescriptor >= 0 else { return }
        guard let directory = fdopendir(folderDescriptor) else {
            close(folderDescriptor)
            return
        }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let type = Int32(entry.pointee.d_type)
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            if type == Int32(DT_DIR) {
                folders.append(folder + "/" + name)
                continue
            }
            if type == Int32(DT_REG) && !matches(name) { continue }
            // Regular files that match, and entries of unknown type or links (stat follows links).
            var info = stat()
            guard fstatat(folderDescriptor, name, &info, 0) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFDIR {
                if type != Int32(DT_LNK) { folders.append(folder + "/" + name) }
            } else if info.st_mode & S_IFMT == S_IFREG, matches(name) {
                found.append((folder + "/" + name, info))
            }
        }
    }

    /// The canonical form of `path` (symbolic links resolved), or `nil` when it does not exist.
    static func canonical(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

extension TranscriptFile {
    /// The file at `path` as it is now, or `nil` when it is not a readable regular file.
    public static func current(path: String, agent: AgentKind) -> TranscriptFile? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return TranscriptFile(path: path, agent: agent, stat: info)
    }

    /// The session the file belongs to when its records do not say (Claude: the file's stem, or the
    /// parent session's folder for a subagent file; Codex: the id at the end of the rollout's name).
    public var fallbackSessionID: String { TranscriptSources.source(for: self).fallbackSessionID(for: path) }

    init(path: String, agent: AgentKind, stat info: stat) {
        self.init(
            path: path, agent: agent, device: UInt64(info.st_dev), inode: UInt64(info.st_ino),
            size: UInt64(info.st_size),
            modified: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1_000_000_000)
    }
}
