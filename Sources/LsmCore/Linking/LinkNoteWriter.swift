import Foundation
import LsmGit

/// Writes inferred links into the commits' notes (`git lsm link --write-notes`), as the hooks would
/// have: the session, its model, the files it touched and what it spent since the parent commit.
struct NoteWriter {
    let workspace: Workspace
    let catalog: SessionCatalog
    let sessions: [SessionSummary]

    /// Adds each link's session to its commit's note, in one notes commit; sessions a note already
    /// names are left as they are. Returns how many notes changed.
    func write(_ links: [CommitLink], commits: [String: Commit], in repository: Repository) throws -> Int {
        let recorder = CommitRecorder(workspace: workspace)
        let now = workspace.now()
        var notes: [ObjectID: CommitNote] = [:]
        var order: [ObjectID] = []
        for link in links {
            guard let commit = commits[link.commit],
                let session = sessions.first(where: { $0.agent == link.agent && $0.id == link.session })
            else { continue }
            let parentTime = try commit.parents.first.map { try repository.commit($0).committer.date }
            let (usage, cost) = try recorder.usageBetween(
                key: CommitLinker.key(session), agent: session.agent, after: parentTime, through: commit.committer.date, catalog: catalog)
            let entry = CommitNote.Session(
                agent: session.agent, id: session.id, model: session.model, usage: usage, costUSD: cost, health: nil,
                filesTouched: link.filesTouched, branch: session.branch, lastActivityAt: session.lastActivityAt)
            if notes[commit.id] == nil { order.append(commit.id) }
            notes[commit.id, default: CommitNote(sessions: [], recordedAt: now)].sessions.append(entry)
        }
        guard !order.isEmpty else { return 0 }
        return try repository.updateNotes(
            for: order, notesRef: CommitNote.notesRef, author: recorder.noteAuthor(repository), message: "lsm: notes for linked commits"
        ) { id, current in
            guard let note = notes[id] else { return current }
            let existing = current.flatMap(CommitNote.parse)?.sessions ?? []
            let missing = note.sessions.filter { session in !existing.contains { $0.agent == session.agent && $0.id == session.id } }
            guard !missing.isEmpty else { return current }
            return CommitNote.mergeTexts(current, CommitNote(sessions: missing, recordedAt: note.recordedAt).encoded())
        }
    }
}
