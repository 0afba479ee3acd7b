import Foundation

/// Every file, link and folder under a folder, with contents and modes, to check that something
/// was put back byte for byte.
struct FolderSnapshot: Equatable, CustomStringConvertible {
    enum Entry: Equatable {
        case file(Data, mode: mode_t)
        case link(String)
        case folder(mode: mode_t)
    }

    var entries: [String: Entry]

    init(_ root: String) throws {
        entries = [:]
        for relative in try FileManager.default.subpathsOfDirectory(atPath: root) {
            let path = root + "/" + relative
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFLNK: entries[relative] = .link(try FileManager.default.destinationOfSymbolicLink(atPath: path))
            case S_IFDIR: entries[relative] = .folder(mode: info.st_mode & 0o7777)
            default: entries[relative] = .file(try Data(contentsOf: URL(fileURLWithPath: path)), mode: info.st_mode & 0o7777)
            }
        }
    }

    var description: String {
        entries.keys.sorted().map { key in
            switch entries[key] {
            case .file(let data, let mode)?: "\(key) \(String(mode, radix: 8)) \(data.count) bytes"
            case .link(let target)?: "\(key) -> \(target)"
            case .folder(let mode)?: "\(key)/ \(String(mode, radix: 8))"
            case nil: key
            }
        }.joined(separator: "\n")
    }
}

/// Writes an executable (or not) script.
func writeScript(_ path: String, _ text: String, mode: mode_t = 0o755) throws {
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    guard chmod(path, mode) == 0 else { throw CocoaError(.fileWriteNoPermission) }
}
