import Foundation
import LsmCore
import LsmGit

/// The files of a room's branch head, read through LsmGit for the browser: the tree, and one text
/// file at a time. Paths are checked before git sees them, and binary or huge files are refused
/// rather than sent.
struct BranchFiles {
    /// A file larger than this is not shown (the browser renders every line).
    static let maxFileBytes = 1 << 20
    /// A tree with more entries than this is cut (and says so).
    static let maxEntries = 50_000

    struct Listing: Encodable {
        var repository: String
        var branch: String
        var head: String
        var summary: String
        var files: [String]
        var truncated: Bool
    }

    struct File: Encodable {
        var path: String
        var blob: String
        var head: String
        var text: String
    }

    let repository: Repository
    let branch: String

    init(context: RoomContext, branch: String) throws(ServerError) {
        do { repository = try context.openRepository() } catch { throw ServerError(.serviceUnavailable, "cannot open the repository") }
        self.branch = branch
    }

    func listing() throws(ServerError) -> Listing {
        let head = try headCommit()
        let entries: [TreeEntry]
        do { entries = try repository.treeEntries(of: head.id) } catch { throw ServerError(.internalServerError, "cannot read the tree") }
        let files = entries.filter { $0.kind != .directory && $0.kind != .submodule }.map(\.path)
        return Listing(
            repository: Self.repositoryName(repository), branch: branch, head: head.id.hex, summary: head.summary,
            files: Array(files.prefix(Self.maxEntries)), truncated: files.count > Self.maxEntries)
    }

    func file(at path: String) throws(ServerError) -> File {
        guard Self.isSafe(path) else { throw ServerError(.badRequest, "not a path inside the repository") }
        let head = try headCommit()
        let entry: TreeEntry?
        do { entry = try repository.entry(at: path, inTree: head.tree) } catch {
            throw ServerError(.internalServerError, "cannot read the tree")
        }
        guard let entry else { throw ServerError(.notFound, "no file '\(path)' on \(branch)") }
        guard entry.kind == .file || entry.kind == .executable || entry.kind == .symbolicLink else {
            throw ServerError(.badRequest, "'\(path)' is not a file")
        }
        let data: Data
        do { data = try repository.blobContents(entry.id) } catch { throw ServerError(.internalServerError, "cannot read the file") }
        guard data.count <= Self.maxFileBytes else {
            throw ServerError(.contentTooLarge, "'\(path)' is larger than \(Self.maxFileBytes >> 10) KiB; open it in an editor")
        }
        guard !data.prefix(8000).contains(0), let text = String(data: data, encoding: .utf8) else {
            throw ServerError(.unsupportedMediaType, "'\(path)' is a binary file")
        }
        return File(path: path, blob: entry.id.hex, head: head.id.hex, text: text)
    }

    private func headCommit() throws(ServerError) -> Commit {
        do { return try repository.resolveCommit("refs/heads/" + branch) } catch {
            throw ServerError(.notFound, "no branch '\(branch)' in the repository")
        }
    }

    /// A relative path of plain components: no `..`, `.`, empty parts, leading slash or control
    /// characters, so only the tree's own entries can be named.
    static func isSafe(_ path: String) -> Bool {
        guard !path.isEmpty, path.utf8.count <= 4096, !path.hasPrefix("/"), !path.contains("\\") else { return false }
        guard !path.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    /// The folder name of the work tree (or of the bare repository, without `.git`).
    static func repositoryName(_ repository: Repository) -> String {
        let folder = repository.workDirectory ?? repository.commonDirectory
        var name = URL(fileURLWithPath: folder).standardizedFileURL.lastPathComponent
        if name.hasSuffix(".git") && name != ".git" { name.removeLast(4) }
        if name == ".git" { name = URL(fileURLWithPath: folder).deletingLastPathComponent().lastPathComponent }
        return name
    }
}
