import Foundation
import LsmCore
import LsmGit
import LsmTestSupport
import Testing

/// `git lsm link` on history replayed from agent transcripts, without hooks.
@Suite struct CommitLinkerTests {
    private func link(_ history: ReplayedHistory, since: Date? = nil, writeNotes: Bool = false) throws -> LinkReport {
        let workspace = Workspace(directory: history.repo.path, environment: history.environment)
        return try CommitLinker(workspace: workspace).link(since: since, writeNotes: writeNotes, in: try workspace.openRepository())
    }

    @Test func findsTheAgentsCommitsAndNoHumanOnes() throws {
        // Given history replayed from a Claude Code and a Codex transcript, with human commits between
        let history = try ReplayedHistory()

        // When linking
        let report = try link(history)

        // Then exactly the agents' three commits are linked, each to its own session
        let found = Dictionary(uniqueKeysWithValues: report.links.map { ($0.commit, $0) })
        #expect(Set(found.keys) == [history.claudeCommitted, history.claudeEdited, history.codexCommitted])
        for human in history.humanCommits { #expect(found[human] == nil) }
        #expect(found[history.claudeCommitted]?.session == history.claudeSession)
        #expect(found[history.claudeEdited]?.session == history.claudeSession)
        #expect(found[history.codexCommitted]?.session == history.codexSession)
        #expect(found[history.codexCommitted]?.agent == "codex")
        #expect(report.notesWritten == 0)
    }

    @Test func theCommitIDInGitCommitOutputIsCertain() throws {
        let history = try ReplayedHistory()

        let report = try link(history)

        let claude = try #require(report.links.first { $0.commit == history.claudeCommitted })
        #expect(claude.confidence == 1)
        #expect(claude.evidence.contains("its git commit printed \(history.claudeCommitted.prefix(7))"))
        #expect(claude.filesTouched == ["README.md", "src/Greeter.swift"])
        #expect(claude.matchedLines == claude.addedLines)
        let codex = try #require(report.links.first { $0.commit == history.codexCommitted })
        #expect(codex.confidence == 1)
        #expect(codex.filesTouched == ["src/Farewell.swift"])
        #expect(codex.matchedLines == 3)
    }

    @Test func editsThatWroteTheAddedLinesLinkWithoutAnyCommitOutput() throws {
        let history = try ReplayedHistory()

        let report = try link(history)

        let edited = try #require(report.links.first { $0.commit == history.claudeEdited })
        #expect(edited.confidence == 0.95)
        #expect(edited.matchedLines == 1)
        #expect(edited.addedLines == 1)
        #expect(edited.evidence.contains("its edits wrote 1 of the 1 added lines"))
        #expect(edited.filesTouched == ["src/main.swift"])
    }

    @Test func sinceLeavesOutSessionsInactiveSinceThen() throws {
        let history = try ReplayedHistory()

        let report = try link(history, since: Date(timeIntervalSince1970: HermeticGit.baseDate.timeIntervalSince1970 + 10.5 * 3600))

        #expect(report.links.map(\.commit) == [history.codexCommitted])
        #expect(report.sessionsExamined == 1)
    }

    @Test func linkingWritesNothingToGitUnlessAsked() throws {
        let history = try ReplayedHistory()

        _ = try link(history)

        let repository = try Repository.open(at: history.repo.path)
        #expect(try repository.referenceTarget(CommitNote.notesRef) == nil)
    }

    @Test func writeNotesRecordsTheStrongLinksInOneNotesCommit() throws {
        let history = try ReplayedHistory()

        let report = try link(history, writeNotes: true)

        #expect(report.notesWritten == 3)
        let repository = try Repository.open(at: history.repo.path)
        let notesCommits = try history.repo.git(["rev-list", "--count", CommitNote.notesRef]).trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(notesCommits == "1")
        let claudeCommit = try #require(ObjectID(hex: history.claudeCommitted))
        let text = try #require(try repository.note(for: claudeCommit, notesRef: CommitNote.notesRef))
        let note = try #require(CommitNote.parse(text))
        #expect(note.sessions.map(\.id) == [history.claudeSession])
        #expect(note.sessions.first?.model == "claude-sonnet-4-5-20250929")
        #expect(note.sessions.first?.filesTouched == ["README.md", "src/Greeter.swift"])
        // The three calls up to 10:03:10, since the parent commit at 09:00.
        #expect(note.sessions.first?.usage?.input == 3000)
        for human in history.humanCommits.compactMap({ ObjectID(hex: $0) }) {
            #expect(try repository.note(for: human, notesRef: CommitNote.notesRef) == nil)
        }
    }

    @Test func writingNotesAgainChangesNothing() throws {
        let history = try ReplayedHistory()
        _ = try link(history, writeNotes: true)

        let again = try link(history, writeNotes: true)

        #expect(again.notesWritten == 0)
        #expect(again.links.count == 3)
    }
}

/// The pieces `git lsm link` weighs evidence with.
@Suite struct LinkEvidenceTests {
    @Test func timeAndBranchAloneAreWeakAndOnlyForSessionsWithoutEdits() {
        let changes = LinkEvidence.Changes.of(["LICENSE": ["MIT"]])

        let withoutEdits = LinkEvidence.weigh(
            changes, shortID: "1a2b3c4", edits: [:], namedInOutput: false, sessionEdits: false, branch: "main")
        let withEdits = LinkEvidence.weigh(
            changes, shortID: "1a2b3c4", edits: ["a.swift": ["x"]], namedInOutput: false, sessionEdits: true, branch: "main")
        let otherBranch = LinkEvidence.weigh(
            changes, shortID: "1a2b3c4", edits: [:], namedInOutput: false, sessionEdits: false, branch: nil)

        #expect(withoutEdits?.confidence == 0.2)
        #expect(withEdits == nil)
        #expect(otherBranch == nil)
    }

    @Test func confidenceGrowsWithTheShareOfAddedLinesTheSessionWrote() {
        let changes = LinkEvidence.Changes.of(["a.swift": ["one", "two", "three", "four"]])

        let half = LinkEvidence.weigh(
            changes, shortID: "1a2b3c4", edits: ["a.swift": ["one", "two"]], namedInOutput: false, sessionEdits: true, branch: nil)
        let none = LinkEvidence.weigh(
            changes, shortID: "1a2b3c4", edits: ["a.swift": ["five"]], namedInOutput: false, sessionEdits: true, branch: nil)

        #expect(half?.confidence == 0.63)
        #expect(half?.matchedLines == 2)
        #expect(none?.confidence == 0.25)
    }

    @Test func gitCommitOutputNamesTheCommit() {
        #expect(GitCommitOutput.commitIDs(in: "[main 1a2b3c4] Add x\n 1 file changed") == ["1a2b3c4"])
        #expect(GitCommitOutput.commitIDs(in: "[main (root-commit) abcdef0] First") == ["abcdef0"])
        #expect(GitCommitOutput.commitIDs(in: "[detached HEAD 0123456789] x") == ["0123456789"])
        #expect(GitCommitOutput.commitIDs(in: "see [link] and [1, 2] or [a b]").isEmpty)
    }

    @Test func patchAddedLinesFollowMoves() {
        let patch = """
            *** Begin Patch
            *** Update File: a.swift
            *** Move to: b.swift
            @@
            -old
            +new line
            *** Delete File: c.swift
            *** Add File: d.swift
            +first
            +
            *** End Patch
            """

        let files = CodexPatch.addedLines(patch)

        #expect(files.map(\.path) == ["b.swift", "d.swift"])
        #expect(files.map(\.lines) == [["new line"], ["first"]])
    }
}

extension LinkEvidence.Changes {
    /// A commit that changed `addedLines`' files, adding those lines.
    static func of(_ addedLines: [String: [String]]) -> Self { Self(files: Set(addedLines.keys), addedLines: addedLines) }
}
