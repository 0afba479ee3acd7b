import Foundation
import LsmStore

/// The use case behind `git lsm export`: one session, or every session, as a lossless JSON bundle,
/// Markdown or a self-contained HTML page (docs/export.md). Everything is streamed: a session of any
/// size is read and written with bounded memory.
public struct SessionExporter: Sendable {
    public enum Format: String, CaseIterable, Sendable {
        case json, markdown, html

        /// The file name extension `export --all` uses.
        public var fileExtension: String {
            switch self {
            case .json: "lsm.json"
            case .markdown: "md"
            case .html: "html"
            }
        }
    }

    /// What one export wrote.
    public struct Report: Sendable, Equatable, Encodable {
        public var session: String
        public var agent: String
        public var format: String
        /// The file written, or `-` for standard output.
        public var output: String
        public var bytes: Int64
        /// Transcript files carried, their lines, and the normalized events written.
        public var files: Int
        public var lines: Int
        public var events: Int
        /// Secrets removed, by rule (empty without `--redact`).
        public var redactions: [String: Int]
        /// The bundle's checksum (`null` for Markdown and HTML).
        public var sha256: String?
        public var seconds: Double
    }

    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// Where one export goes.
    public enum Destination: Sendable {
        /// A file, created or replaced.
        case file(String)
        /// Text handed out in chunks of whole lines (standard output).
        case stream(@Sendable (String) -> Void)
    }

    /// Exports the session whose id starts with `prefix`.
    public func export(session prefix: String, format: Format, redact: Bool, to output: Destination) throws(LsmError) -> Report {
        let (catalog, _) = try workspace.refreshedCatalog()
        let (summary, _) = try catalog.session(matching: prefix)
        return try export(summary, catalog: catalog, format: format, redact: redact, to: output)
    }

    /// Exports every session (active since `since`, when given) into `directory`, one file each,
    /// named `<agent>-<id>.<extension>`.
    public func exportAll(since: Date?, format: Format, redact: Bool, into directory: String) throws(LsmError) -> [Report] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw LsmError(.user, "cannot create \(directory)", hint: "pass -o with a folder you can write to", cause: "\(error)")
        }
        let (catalog, _) = try workspace.refreshedCatalog()
        let sessions = try catalog.sessions(SessionFilter(activeSince: since?.timeIntervalSince1970))
        return try sessions.map { summary throws(LsmError) in
            let name = "\(summary.agent)-\(summary.id)".map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "_" }
            let path = (directory as NSString).appendingPathComponent(String(name) + "." + format.fileExtension)
            return try export(summary, catalog: catalog, format: format, redact: redact, to: .file(path))
        }
    }

    private func export(_ summary: SessionSummary, catalog: SessionCatalog, format: Format, redact: Bool, to output: Destination)
        throws(LsmError) -> Report
    {
        let start = Date()
        let key = SessionKey.make(AgentKind(rawValue: summary.agent) ?? .claudeCode, summary.id)
        let paths: [String]
        let imported: ImportedSession?
        do {
            paths = try catalog.index.transcriptPaths(sessionKeys: [key])[key] ?? []
            imported = try catalog.index.importedSession(key: key)
        } catch {
            throw LsmError.wrapping(error)
        }
        let agent = AgentKind(rawValue: summary.agent) ?? .claudeCode
        let files = paths.compactMap { TranscriptFile.current(path: $0, agent: agent) }
        let commits = SessionCommits(index: catalog.index).commits(of: summary)
        let redactor = redact ? SecretRedactor(repositoryRoot: summary.repo ?? summary.cwd) : nil
        let sink: ExportSink
        switch output {
        case .file(let path): sink = try ExportSink(path: path)
        case .stream(let stream): sink = ExportSink(stream: stream)
        }
        let writer = BundleWriter(sink: sink, redactor: redactor, sessionID: summary.id)
        let sha256: String?
        switch format {
        case .json:
            let header: String
            if let stored = imported?.header {
                header = stored
            } else {
                header = try Self.header(summary: summary, commits: commits)
            }
            sha256 = try writer.writeBundle(header: header, files: files)
        case .markdown:
            try ConversationPage(kind: .markdown, summary: summary, commits: commits, origin: imported?.originHost).write(
                files: files, with: writer)
            sha256 = nil
        case .html:
            try ConversationPage(kind: .html, summary: summary, commits: commits, origin: imported?.originHost).write(
                files: files, with: writer)
            sha256 = nil
        }
        try sink.finish()
        return Report(
            session: summary.id, agent: summary.agent, format: format.rawValue, output: sink.path, bytes: sink.count, files: files.count,
            lines: writer.lines, events: writer.events, redactions: writer.redactions, sha256: sha256,
            seconds: Date().timeIntervalSince(start))
    }

    /// The header lines of a bundle of a session recorded here.
    static func header(summary: SessionSummary, commits: [SessionCommits.Linked]) throws(LsmError) -> String {
        let origin = try SessionBundle.encode(SessionBundle.Origin(host: SessionBundle.hostName()))
        return
            "\"origin\":\(origin),\n\"session\":\(try SessionBundle.encode(summary)),\n\"commits\":\(try SessionBundle.encode(commits)),\n"
    }
}
