import Foundation
import LsmCore
import LsmStore
import LsmTestSupport

/// A Claude Code and Codex transcript tree in a temporary folder, with an index beside it.
final class TranscriptTree: @unchecked Sendable {
    let folder: TemporaryDirectory
    var claudeRoot: String { folder.child("claude") }
    var codexRoot: String { folder.child("codex") }

    init() throws {
        folder = try TemporaryDirectory("lsm-transcripts")
    }

    var environment: [String: String] {
        ["CLAUDE_CONFIG_DIR": claudeRoot, "CODEX_HOME": codexRoot, "LSM_HOME": folder.child("home"), "HOME": folder.path]
    }

    /// The real sample transcripts in `shared/fixtures/agents`.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
            "shared/fixtures/agents")

    /// Writes `lines` to a Claude project file (relative to `projects/`); no newline after the last
    /// line when `complete` is false.
    @discardableResult
    func claude(_ relative: String, _ lines: [String], complete: Bool = true) throws -> String {
        try write(claudeRoot + "/projects/" + relative, lines.joined(separator: "\n") + (complete ? "\n" : ""))
    }

    @discardableResult
    func codex(_ relative: String, _ lines: [String]) throws -> String {
        try write(codexRoot + "/" + relative, lines.joined(separator: "\n") + "\n")
    }

    /// Copies a fixture file into the tree.
    @discardableResult
    func fixture(_ name: String, asClaude relative: String? = nil, asCodex codexRelative: String? = nil) throws -> String {
        let source = Self.fixtures.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: source.path) else {
            throw TestFailure("missing fixture \(source.path): the tests expect shared/ beside the project")
        }
        let text = try String(contentsOf: source, encoding: .utf8)
        if let relative { return try write(claudeRoot + "/projects/" + relative, text) }
        return try write(codexRoot + "/" + (codexRelative ?? name), text)
    }

    @discardableResult
    func write(_ path: String, _ text: String) throws -> String {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func append(_ path: String, _ text: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    /// Refreshes the index and returns every session.
    @discardableResult
    func index() throws -> (SessionIndexer.Report, [SessionSummary]) {
        let workspace = Workspace(directory: folder.path, environment: environment)
        let (catalog, report) = try workspace.refreshedCatalog()
        return (report, try catalog.sessions(SessionFilter()))
    }

    func session(_ id: String) throws -> SessionSummary {
        guard let found = try index().1.first(where: { $0.id == id }) else { throw TestFailure("no session \(id)") }
        return found
    }
}

/// An assistant record as Claude Code writes it (one per content block).
func assistantLine(
    session: String = "s1", message: String, request: String?, model: String = "claude-sonnet-4-5-20250929", input: Int = 10,
    output: Int, cacheWrite: Int = 0, cacheRead: Int = 0, sidechain: Bool = false, time: String = "2026-01-01T10:00:00.000Z",
    cacheSplit: (Int, Int)? = nil, content: String = "{\"type\":\"text\",\"text\":\"ok\"}", cwd: String = "/work/app",
    branch: String = "main"
) -> String {
    let split = cacheSplit.map { ",\"cache_creation\":{\"ephemeral_5m_input_tokens\":\($0.0),\"ephemeral_1h_input_tokens\":\($0.1)}" } ?? ""
    let requestField = request.map { ",\"requestId\":\"\($0)\"" } ?? ""
    return """
        {"parentUuid":null,"isSidechain":\(sidechain),"cwd":"\(cwd)","sessionId":"\(session)","version":"2.1.0","gitBranch":"\(branch)",\
        "message":{"model":"\(model)","id":"\(message)","type":"message","role":"assistant","content":[\(content)],\
        "usage":{"input_tokens":\(input),"cache_creation_input_tokens":\(cacheWrite),"cache_read_input_tokens":\(cacheRead),\
        "output_tokens":\(output)\(split)}}\(requestField),"type":"assistant","uuid":"\(UUID().uuidString)","timestamp":"\(time)"}
        """
}

func userLine(
    session: String = "s1", text: String, time: String = "2026-01-01T09:59:00.000Z", uuid: String = UUID().uuidString,
    cwd: String = "/work/app", branch: String = "main"
) -> String {
    """
    {"parentUuid":null,"isSidechain":false,"cwd":"\(cwd)","sessionId":"\(session)","version":"2.1.0","gitBranch":"\(branch)",\
    "type":"user","message":{"role":"user","content":"\(text)"},"uuid":"\(uuid)","timestamp":"\(time)"}
    """
}
