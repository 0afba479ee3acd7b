import Foundation
import LsmGit
import LsmStore

/// The commits a session is tied to in its repository: by lsm's notes (written by the hooks, carried
/// through rewrites, or written by `git lsm link --write-notes`) and by links `git lsm link` inferred.
public struct SessionCommits: Sendable {
    public struct Linked: Encodable, Sendable, Equatable {
        public var commit: String
        public var subject: String
        public var date: Date
        /// `note`, `rewritten` or `inferred`.
        public var source: String
        /// For `inferred`: how sure the link is, 0–1.
        public var confidence: Double?

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(commit, forKey: .commit)
            try container.encode(subject, forKey: .subject)
            try container.encode(date, forKey: .date)
            try container.encode(source, forKey: .source)
            try container.encode(confidence, forKey: .confidence)
        }

        enum CodingKeys: String, CodingKey { case commit, subject, date, source, confidence }
    }

    public let index: IndexDatabase

    public init(index: IndexDatabase) {
        self.index = index
    }

    /// The commits tied to `session`, newest first; none when its repository is not on this machine.
    public func commits(of session: SessionSummary) -> [Linked] {
        guard let workDirectory = session.repo, let repository = try? Repository.discover(containing: workDirectory) else { return [] }
        var found: [String: Linked] = [:]
        let notes = (try? repository.notedObjects(notesRef: CommitNote.notesRef)) ?? []
        for (object, blob) in notes {
            guard let data = try? repository.blobContents(blob),
                let note = CommitNote.parse(String(decoding: data, as: UTF8.self)),
                note.sessions.contains(where: { $0.agent == session.agent && $0.id == session.id }),
                let commit = try? repository.commit(object)
            else { continue }
            let source = (note.rewrittenFrom ?? []).isEmpty ? "note" : "rewritten"
            found[object.hex] = Linked(
                commit: object.hex, subject: commit.summary, date: commit.committer.date, source: source, confidence: nil)
        }
        let key = "\(session.agent):\(session.id)"
        for link in (try? index.commitLinks(repoCommonDir: repository.commonDirectory)) ?? [] where link.sessionKey == key {
            guard found[link.commit] == nil, let id = ObjectID(hex: link.commit), let commit = try? repository.commit(id) else { continue }
            found[link.commit] = Linked(
                commit: link.commit, subject: commit.summary, date: commit.committer.date, source: "inferred", confidence: link.confidence)
        }
        return found.values.sorted { ($0.date, $0.commit) > ($1.date, $1.commit) }
    }
}
