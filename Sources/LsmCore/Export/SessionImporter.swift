import Foundation
import LsmStore

/// The use case behind `git lsm import`: restores a session from an `lsm.bundle/1` file. Its
/// transcripts are written under `$LSM_HOME/imported/` (where the agents' readers find them on every
/// later index, rebuilds included) and indexed like this machine's own; the import is recorded with
/// the session's origin. A bundle that fails its checks writes nothing, and importing the same
/// bundle again changes nothing.
public struct SessionImporter: Sendable {
    /// What an import did.
    public struct Report: Sendable, Equatable, Encodable {
        public var session: String
        public var agent: String
        /// The machine the session was recorded on.
        public var origin: String
        /// Files restored and their bytes.
        public var files: Int
        public var bytes: Int64
        /// `false` when this bundle was imported before and nothing changed.
        public var imported: Bool
        /// The repository the session is tied to here (work tree), or `null` (as at its origin).
        public var repository: String?
        public var sha256: String
    }

    public let workspace: Workspace

    private static func only(_ key: String) -> SessionFilter {
        var filter = SessionFilter()
        filter.key = key
        return filter
    }

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// Imports the bundle at `path`. Unless `asOfOrigin`, a session imported inside a repository is
    /// tied to that repository (its clone here), so `list`, `search` and `log` show it there.
    public func importBundle(at path: String, asOfOrigin: Bool) throws(LsmError) -> Report {
        let reader = BundleReader(path: path)
        let checksum = try reader.verify()
        let repository = asOfOrigin ? nil : try workspace.openRepositoryIfPresent()
        let index = try workspace.openIndex()
        let imported = TranscriptRoot.importedFolder(workspace.environment)
        let staging = imported + "/.staging-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let contents = try reader.read(into: staging)
        guard let agent = AgentKind(rawValue: contents.agent), !contents.sessionID.isEmpty else {
            throw LsmError(.user, "\(path) names no session lsm knows (agent '\(contents.agent)')")
        }
        let key = SessionKey.make(agent, contents.sessionID)
        let transcripts = contents.files.filter { !$0.entry.context && $0.written != nil }
        guard !transcripts.isEmpty else {
            throw LsmError(
                .user, "\(path) carries no transcript lines for session \(contents.sessionID)",
                hint: "Cursor keeps editor conversations in its database, which bundles list but do not carry")
        }
        let previous: ImportedSession?
        do {
            previous = try index.importedSession(key: key)
            if previous == nil, !(try index.sessions(matching: Self.only(key))).isEmpty {
                throw LsmError(
                    .user, "session \(contents.sessionID) is already indexed from this machine's own transcripts",
                    hint: "import bundles on another machine, or with another LSM_HOME")
            }
        } catch let error as LsmError {
            throw error
        } catch {
            throw LsmError.wrapping(error)
        }
        var restored: [String] = []
        var bytes: Int64 = 0
        for file in contents.files {
            guard let staged = file.written, let root = TranscriptRoot(rawValue: file.entry.root) else { continue }
            restored.append(root.folder(in: imported) + "/" + file.entry.path)
            bytes += Int64((try? FileManager.default.attributesOfItem(atPath: staged)[.size] as? Int) ?? 0)
        }
        let tiedTo = repository.map { (workDir: $0.workDirectory, commonDir: $0.commonDirectory) }
        if let previous, previous.checksum == checksum, previous.repoCommonDir == tiedTo?.commonDir,
            restored.allSatisfy({ FileManager.default.fileExists(atPath: $0) })
        {
            return Report(
                session: contents.sessionID, agent: agent.rawValue, origin: contents.originHost, files: restored.count, bytes: bytes,
                imported: false, repository: previous.repoWorkDir, sha256: checksum)
        }
        for (file, target) in zip(contents.files.filter { $0.written != nil }, restored) {
            guard let staged = file.written else { continue }
            do {
                try FileManager.default.createDirectory(
                    atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
                try FileManager.default.moveItem(atPath: staged, toPath: target)
            } catch {
                throw LsmError(.user, "cannot write \(target)", cause: "\(error)")
            }
        }
        // Index exactly the restored transcripts, at the paths later runs will find them at.
        let wanted = Set(
            zip(contents.files.filter { $0.written != nil }, restored).filter { !$0.0.entry.context }.compactMap {
                DirectoryWalker.canonical($0.1)
            })
        let files = TranscriptRoot.importedLocator(imported).transcriptFiles().filter { wanted.contains($0.path) }
        _ = try SessionIndexer(index: index, locator: workspace.transcriptLocator).refresh(only: files)
        do {
            guard !(try index.sessions(matching: Self.only(key))).isEmpty else {
                throw LsmError(.user, "\(path) restored its files, but lsm found no session \(contents.sessionID) in them")
            }
            try index.recordImport(
                ImportedSession(
                    sessionKey: key, checksum: checksum, originHost: contents.originHost, header: contents.header, files: restored,
                    repoWorkDir: tiedTo?.workDir, repoCommonDir: tiedTo?.commonDir, importedAt: workspace.now().timeIntervalSince1970))
        } catch let error as LsmError {
            throw error
        } catch {
            throw LsmError.wrapping(error)
        }
        return Report(
            session: contents.sessionID, agent: agent.rawValue, origin: contents.originHost, files: restored.count, bytes: bytes,
            imported: true, repository: tiedTo?.workDir ?? nil, sha256: checksum)
    }
}
