import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Tells which transcript files changed, without walking every folder each time: on Linux through
/// inotify watches on the folders that hold transcripts (and their roots, for new folders); elsewhere,
/// or when the system refuses more watches, by reporting that everything may have changed.
public final class TranscriptWatcher: @unchecked Sendable {
    /// What changed since the last call to `changes()`.
    public enum Changes: Equatable {
        case none
        /// These files were written, created or moved in.
        case files(Set<String>)
        /// Anything may have changed (no watcher, a new folder, an overflow): look at every file.
        case unknown
    }

    private var descriptor: Int32 = -1
    private var folders: [Int32: String] = [:]
    private var watchedPaths = Set<String>()

    /// Watches every folder under `roots` (the Claude Code and Codex trees), so new project, day and
    /// subagent folders are seen too. Other agents' files are caught by the dashboard's periodic full
    /// look: their stores (Cursor's databases) change too often to watch usefully.
    public init(roots: [String]) {
        #if canImport(Glibc)
            descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            guard descriptor >= 0 else { return }
            for root in roots where !watchTree(root) {
                close(descriptor)
                descriptor = -1
                return
            }
        #endif
    }

    /// Watches `folder` and every folder below it; false when the system refuses a watch.
    private func watchTree(_ folder: String) -> Bool {
        var pending = [folder]
        while let next = pending.popLast() {
            guard watch(next) else { return false }
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: next) else { continue }
            for entry in entries {
                var isDirectory: ObjCBool = false
                let path = next + "/" + entry
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { pending.append(path) }
            }
        }
        return true
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Whether changes come from the system (otherwise every call says `.unknown`).
    public var isWatching: Bool { descriptor >= 0 }

    private func watch(_ folder: String) -> Bool {
        #if canImport(Glibc)
            guard !watchedPaths.contains(folder) else { return true }
            guard FileManager.default.fileExists(atPath: folder) else { return true }
            let mask = UInt32(IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_CLOSE_WRITE | IN_DELETE_SELF)
            let watch = inotify_add_watch(descriptor, folder, mask)
            guard watch >= 0 else { return false }
            folders[watch] = folder
            watchedPaths.insert(folder)
            return true
        #else
            return false
        #endif
    }

    /// What changed since the last call. Never blocks.
    public func changes() -> Changes {
        #if canImport(Glibc)
            guard descriptor >= 0 else { return .unknown }
            var changed = Set<String>()
            var sawNewFolder = false
            let size = 64 * 1024
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
            defer { buffer.deallocate() }
            while true {
                let count = read(descriptor, buffer, size)
                if count <= 0 { break }
                var offset = 0
                while offset + MemoryLayout<inotify_event>.size <= count {
                    let event = buffer.load(fromByteOffset: offset, as: inotify_event.self)
                    let nameStart = buffer + offset + MemoryLayout<inotify_event>.size
                    let name = event.len > 0 ? String(cString: nameStart.assumingMemoryBound(to: CChar.self)) : ""
                    offset += MemoryLayout<inotify_event>.size + Int(event.len)
                    if event.mask & UInt32(IN_Q_OVERFLOW) != 0 { return .unknown }
                    guard let folder = folders[event.wd] else { continue }
                    let path = name.isEmpty ? folder : folder + "/" + name
                    if event.mask & UInt32(IN_ISDIR) != 0 {
                        // A new folder may already hold files and folders: watch it all, look at everything.
                        sawNewFolder = true
                        _ = watchTree(path)
                    } else if !name.isEmpty {
                        changed.insert(path)
                    }
                }
            }
            if sawNewFolder { return .unknown }
            return changed.isEmpty ? .none : .files(changed)
        #else
            return .unknown
        #endif
    }
}
