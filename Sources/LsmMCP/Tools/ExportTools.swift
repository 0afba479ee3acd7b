import Foundation
import LsmCore
import MCP

/// `export_session`: a session as Markdown for the model to read, or a bundle or page written to a file.
enum ExportTools {
    /// The most text returned inline; larger exports are cut, and say so.
    static let inlineLimit = 256 * 1024

    static let exportSession = ToolDefinition(
        name: "export_session", title: "Export a session",
        description:
            "Exports an agent session as Markdown to read (returned inline), or writes it as a lossless JSON bundle, Markdown or an HTML page to a file in the repository; secrets are redacted unless redact is false.",
        parameters: [
            ToolParameter(name: "id", kind: .string, description: "The session's id or a unique prefix.", required: true),
            ToolParameter(
                name: "format", kind: .string, description: "markdown (default), json (a bundle for git lsm import) or html.",
                choices: ["markdown", "json", "html"]),
            ToolParameter(name: "redact", kind: .boolean, description: "false to keep secrets (default true)."),
            ToolParameter(
                name: "output", kind: .string,
                description: "A file to write, relative to the repository root; leave out to get the text back."),
        ],
        readOnly: false
    ) { (arguments, state) throws(LsmError) in
        let format = SessionExporter.Format(rawValue: arguments.string("format") ?? "markdown") ?? .markdown
        let redact = arguments.bool("redact") ?? true
        let id = arguments.string("id") ?? ""
        if let output = arguments.string("output") {
            let repository = try state.repository()
            let workspace = state.workspace(atRootOf: repository)
            guard let root = repository.workDirectory else {
                throw LsmError(.user, "a bare repository has no files to write", hint: "leave out output to get the text back")
            }
            // Links resolved (the file's folder must exist), so a link cannot lead outside; git's own
            // folder is no place for a transcript either (a hook there would run it).
            let realRoot = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
            let named = URL(fileURLWithPath: output, relativeTo: URL(fileURLWithPath: root, isDirectory: true)).standardizedFileURL
            let target = named.deletingLastPathComponent().resolvingSymlinksInPath().appendingPathComponent(named.lastPathComponent).path
            let gitDirectories = [repository.gitDirectory, repository.commonDirectory].map {
                URL(fileURLWithPath: $0).resolvingSymlinksInPath().path
            }
            guard target.hasPrefix(realRoot + "/"), !gitDirectories.contains(where: { target.hasPrefix($0 + "/") || target == $0 }) else {
                throw LsmError(
                    .user, "\(output) is outside the repository's files", hint: "give a path inside the work tree, or leave out output")
            }
            let report = try SessionExporter(workspace: workspace).export(session: id, format: format, redact: redact, to: .file(target))
            return try ToolOutput(report, text: "exported \(report.agent) session \(report.session) to \(report.output)")
        }
        let collected = Collected()
        let report = try SessionExporter(workspace: state.workspace).export(
            session: id, format: format, redact: redact, to: .stream { collected.append($0) })
        let (text, truncated) = collected.text(limit: inlineLimit)
        return ToolOutput(
            structured: [
                "session": .string(report.session), "agent": .string(report.agent), "format": .string(report.format),
                "bytes": .int(Int(report.bytes)), "truncated": .bool(truncated),
            ],
            text: truncated
                ? text
                    + "\n\n[cut at \(inlineLimit / 1024) KB of \(report.bytes / 1024) KB: pass output to write the whole export to a file]"
                : text)
    }

    /// Text an export streams out, kept up to a limit.
    private final class Collected: @unchecked Sendable {
        private var parts: [String] = []
        private var size = 0
        private var dropped = false
        private let lock = NSLock()

        func append(_ chunk: String) {
            lock.lock()
            defer { lock.unlock() }
            guard size < ExportTools.inlineLimit else {
                dropped = true
                return
            }
            parts.append(chunk)
            size += chunk.utf8.count
        }

        func text(limit: Int) -> (String, Bool) {
            lock.lock()
            defer { lock.unlock() }
            let joined = parts.joined()
            guard joined.utf8.count > limit else { return (joined, dropped) }
            return (String(decoding: joined.utf8.prefix(limit), as: UTF8.self), true)
        }
    }
}
