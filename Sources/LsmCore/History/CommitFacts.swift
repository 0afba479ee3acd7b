import Foundation
import LsmGit

/// What one commit's records say about the agents behind it: lsm's note, its trailers and its Git AI
/// note, read once per commit however many lines it last changed.
struct CommitFacts {
    /// A session a record names.
    struct Session {
        var agent: String
        var id: String
        var model: String?
        /// Files the note says the session edited in this commit; `nil` when only a trailer names it.
        var filesTouched: Set<String>?
        var source: LineAttribution.Source

        var key: String { SessionKey.make(agent: agent, id) }
    }

    let commit: Commit
    /// Sessions from lsm's note, then those only a trailer names.
    var sessions: [Session] = []
    var coAuthors: [String] = []
    var gitAI: GitAINote?

    init(_ id: ObjectID, in repository: Repository) throws(GitError) {
        commit = try repository.commit(id)
        if let text = try repository.note(for: id, notesRef: CommitNote.notesRef), let note = CommitNote.parse(text) {
            sessions = note.sessions.map {
                Session(agent: $0.agent, id: $0.id, model: $0.model, filesTouched: Set($0.filesTouched), source: .lsmNote)
            }
        }
        let trailers = CommitTrailers(message: commit.message)
        for named in trailers.sessions where !sessions.contains(where: { $0.agent == named.agent && $0.id == named.id }) {
            sessions.append(Session(agent: named.agent, id: named.id, model: nil, filesTouched: nil, source: .trailer))
        }
        coAuthors = trailers.coAuthors
        gitAI = try repository.note(for: id, notesRef: GitAINote.notesRef).flatMap(GitAINote.parse)
    }

    /// Who wrote a line of this commit: a session whose transcript has an edit that wrote `text`;
    /// else the agent a Git AI note attests for the line; else a session whose transcripts are not
    /// here but whose records claim the file; else a co-author agent.
    func attribution(of text: String, path: String, originalLine: Int, edits: [String: SessionEdits]) -> LineAttribution? {
        // An edit may be logged a moment after the commit it went into is timed.
        let deadline = commit.committer.date.addingTimeInterval(5)
        if !text.isEmpty {
            var best: (session: Session, edit: SessionEdit)?
            for session in sessions {
                guard let edit = edits[session.key]?.edit(writing: text, in: path, before: deadline) else { continue }
                if let current = best, Self.isBetter(current.edit, than: edit, before: deadline) { continue }
                best = (session, edit)
            }
            if let (session, edit) = best {
                return LineAttribution(
                    agent: session.agent, session: session.id, model: edit.model ?? session.model, prompt: edit.prompt,
                    source: session.source)
            }
        }
        if let agent = gitAI?.agent(path: path, line: originalLine) {
            return LineAttribution(agent: agent.agent, session: agent.session, model: agent.model, source: .gitAI)
        }
        for session in sessions where edits[session.key] == nil && session.filesTouched.map({ $0.contains(path) }) != false {
            return LineAttribution(agent: session.agent, session: session.id, model: session.model, source: session.source)
        }
        return coAuthors.first.map { LineAttribution(agent: $0, source: .coAuthor) }
    }

    /// Whether edit `a` explains a line better than `b`: made before the deadline, then later.
    private static func isBetter(_ a: SessionEdit, than b: SessionEdit, before deadline: Date) -> Bool {
        let timeA = a.timestamp ?? .distantPast
        let timeB = b.timestamp ?? .distantPast
        if (timeA <= deadline) != (timeB <= deadline) { return timeA <= deadline }
        return timeA <= deadline ? timeA >= timeB : timeA <= timeB
    }
}
