import Foundation
import LsmGit
import LsmStore

/// The use case behind `git lsm blame`: blames a file at a revision and attributes its lines to
/// agents from, strongest first, lsm's notes (matched line by line against the sessions'
/// transcripts), `LSM-Session` trailers, Git AI notes and `Co-authored-by` trailers.
///
/// The work per commit is a few object reads (commit, two notes); each session's transcripts are
/// read once, whatever the number of its commits.
public struct LineAttributor: Sendable {
    public let workspace: Workspace

    public init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// Blames `path` (relative to the workspace directory, as `git blame` takes it) at `revision`
    /// (HEAD when `nil`).
    public func blame(path: String, revision: String?) throws(LsmError) -> BlameReport {
        let repository = try workspace.openRepository()
        do {
            let commit = try Self.resolve(revision, in: repository)
            let relative = try repositoryPath(path, in: repository)
            return try blame(relative, at: commit, revisionName: revision ?? "HEAD", in: repository)
        } catch let error as LsmError {
            throw error
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    private static func resolve(_ revision: String?, in repository: Repository) throws -> Commit {
        guard let revision else {
            guard let head = try repository.head().commit else {
                throw LsmError(.user, "the repository has no commits yet", hint: "commit the file, then blame it")
            }
            return try repository.commit(head)
        }
        do {
            return try repository.resolveCommit(revision)
        } catch {
            switch error.code {
            case .notFound, .invalidSpec, .ambiguous:
                throw LsmError(.user, "unknown revision '\(revision)'", hint: "use a commit, branch or tag that git rev-parse knows")
            default:
                throw error
            }
        }
    }

    /// `path` relative to the repository root: taken from the workspace directory, as git does.
    func repositoryPath(_ path: String, in repository: Repository) throws(LsmError) -> String {
        guard let root = repository.workDirectory.map(Self.resolvingLinks) else { return path }
        let directory = Self.resolvingLinks(workspace.directory)
        let absolute =
            path.hasPrefix("/")
            ? Self.resolvingLinks(path)
            : URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: directory, isDirectory: true)).standardizedFileURL.path
        let trimmedRoot = root.hasSuffix("/") ? String(root.dropLast()) : root
        if absolute == trimmedRoot { throw LsmError(.user, "'\(path)' is a directory", hint: "blame a file in it") }
        guard absolute.hasPrefix(trimmedRoot + "/") else {
            throw LsmError(.user, "'\(path)' is outside the repository at \(trimmedRoot)", hint: "blame a file of this repository")
        }
        return String(absolute.dropFirst(trimmedRoot.count + 1))
    }

    /// The path with symbolic links of its existing folders resolved, so `/tmp/x` and its real path agree.
    private static func resolvingLinks(_ path: String) -> String {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        var existing = url
        var rest: [String] = []
        while !FileManager.default.fileExists(atPath: existing.path), existing.path != "/" {
            rest.insert(existing.lastPathComponent, at: 0)
            existing.deleteLastPathComponent()
        }
        var resolved = existing.resolvingSymlinksInPath()
        for part in rest { resolved.appendPathComponent(part) }
        return resolved.path
    }

    private func blame(_ path: String, at commit: Commit, revisionName: String, in repository: Repository) throws -> BlameReport {
        guard let entry = try repository.entry(at: path, inTree: commit.tree) else {
            throw LsmError(
                .user, "no such path '\(path)' in \(revisionName)",
                hint: "git ls-tree -r --name-only \(revisionName) lists the files there")
        }
        switch entry.kind {
        case .directory: throw LsmError(.user, "'\(path)' is a directory", hint: "blame a file in it")
        case .submodule: throw LsmError(.user, "'\(path)' is a submodule", hint: "blame it from inside the submodule")
        case .file, .executable, .symbolicLink: break
        }
        let contents = try repository.blobContents(entry.id)
        // git's test: a NUL byte in the first 8,000 bytes makes a file binary.
        if contents.prefix(8000).contains(0) {
            throw LsmError(.user, "'\(path)' is a binary file", hint: "blame shows text files only")
        }
        let texts = Self.lines(of: contents)
        let hunks = try GitBlame.hunks(
            path: path, at: commit.id, repositoryRoot: repository.workDirectory ?? workspace.directory,
            git: GitCommand(workspace: workspace))

        var facts: [ObjectID: CommitFacts] = [:]
        for hunk in hunks where facts[hunk.commit] == nil {
            facts[hunk.commit] = try CommitFacts(hunk.commit, in: repository)
        }
        let edits = try sessionEdits(hunks: hunks, facts: facts, repository: repository)

        var lines: [BlamedLine] = []
        lines.reserveCapacity(texts.count)
        for hunk in hunks {
            guard let fact = facts[hunk.commit] else { continue }
            for offset in 0..<hunk.lineCount {
                let number = hunk.startLine + offset
                guard number >= 1, number <= texts.count else { continue }
                let text = texts[number - 1]
                let attribution = fact.attribution(
                    of: text.trimmingCharacters(in: .whitespacesAndNewlines), path: hunk.originalPath,
                    originalLine: hunk.originalStartLine + offset, edits: edits)
                lines.append(
                    BlamedLine(
                        line: number, text: text, commit: fact.commit.id.hex, author: fact.commit.author.name,
                        date: fact.commit.author.date, timeZoneOffsetMinutes: fact.commit.author.timeZoneOffsetMinutes,
                        attribution: attribution))
            }
        }
        lines.sort { $0.line < $1.line }
        return BlameReport(path: path, revision: commit.id.hex, lines: lines)
    }

    /// The file's lines without their line ends (a last line without one counts).
    static func lines(of contents: Data) -> [String] {
        var lines = String(decoding: contents, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The edits of every session a blamed commit names (by note or trailer) whose transcripts this
    /// machine has, to the paths those commits gave the file; keyed by session key. A session absent
    /// from the result has no readable transcripts.
    private func sessionEdits(hunks: [BlameHunk], facts: [ObjectID: CommitFacts], repository: Repository) throws -> [String:
        SessionEdits]
    {
        var paths: [String: (agent: String, paths: Set<String>)] = [:]
        for hunk in hunks {
            guard let fact = facts[hunk.commit] else { continue }
            for session in fact.sessions where TranscriptEditReader.reads(session.agent) {
                paths[session.key, default: (session.agent, [])].paths.insert(hunk.originalPath)
            }
        }
        guard !paths.isEmpty else { return [:] }
        let index = try workspace.openIndex()
        let keys = paths.keys.sorted()
        var transcripts = try index.transcriptPaths(sessionKeys: keys)
        if transcripts.count < keys.count {
            // Sessions the index has not read yet: bring it up to date once.
            _ = try SessionIndexer(index: index, locator: workspace.transcriptLocator).refresh()
            transcripts = try index.transcriptPaths(sessionKeys: keys)
        }
        let targets = EditTargets(paths: Set(paths.values.flatMap(\.paths)), workDirectory: repository.workDirectory)
        let reader = TranscriptEditReader(targets: targets)
        var edits: [String: SessionEdits] = [:]
        for (key, files) in transcripts {
            let existing = files.filter { FileManager.default.isReadableFile(atPath: $0) }
            guard let agent = paths[key]?.agent, !existing.isEmpty else { continue }
            edits[key] = reader.edits(agent: agent, paths: existing)
        }
        return edits
    }
}
