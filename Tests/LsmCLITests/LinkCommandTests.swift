import Foundation
import LsmTestSupport
import Testing

/// `git lsm link`, and `git lsm log` showing what it found.
@Suite struct LinkCommandTests {
    private func run(_ arguments: [String], _ history: ReplayedHistory, in directory: String? = nil) async -> CommandRun {
        await CommandRun.run(arguments, in: directory ?? history.repo.path, environment: history.environment)
    }

    private func json(_ run: CommandRun) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stderr)")
    }

    /// `git lsm log --json`'s sessions per commit.
    private func loggedSessions(_ history: ReplayedHistory) async throws -> [String: [[String: Any]]] {
        let log = try json(await run(["log", "--json"], history))
        let commits = try #require(log["commits"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: commits.map { ($0["commit"] as? String ?? "", $0["sessions"] as? [[String: Any]] ?? []) })
    }

    @Test func jsonListsTheAgentsCommitsWithTheirEvidence() async throws {
        let history = try ReplayedHistory()

        let run = await run(["link", "--json"], history)

        #expect(run.status == 0, "\(run.stderr)")
        let report = try json(run)
        #expect(Set(report.keys) == ["links", "notesWritten"])
        #expect(report["notesWritten"] as? Int == 0)
        let links = try #require(report["links"] as? [[String: Any]])
        #expect(
            Set(links.compactMap { $0["commit"] as? String }) == [history.claudeCommitted, history.claudeEdited, history.codexCommitted])
        let codex = try #require(links.first { $0["commit"] as? String == history.codexCommitted })
        #expect(codex["agent"] as? String == "codex")
        #expect(codex["session"] as? String == history.codexSession)
        #expect(codex["confidence"] as? Double == 1)
        #expect((codex["evidence"] as? [String])?.first == "its git commit printed \(history.codexCommitted.prefix(7))")
        for key in ["matchedLines", "addedLines", "filesTouched"] { #expect(codex.keys.contains(key), "missing \(key)") }
    }

    @Test func textIsATableAndSaysNothingWasWritten() async throws {
        let history = try ReplayedHistory()

        let run = await run(["link"], history)

        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("commit") == true)
        #expect(lines.contains { $0.hasPrefix(String(history.claudeCommitted.prefix(7))) && $0.contains("1.00") })
        #expect(lines.contains { $0.hasPrefix(String(history.claudeEdited.prefix(7))) && $0.contains("0.95") })
        #expect(!history.humanCommits.contains { human in run.stdout.contains(human.prefix(7)) })
        #expect(run.stdout.contains("3 links (3 of confidence 0.6 or more); 2 sessions"))
        #expect(run.stdout.contains("nothing written to git"))
        #expect(try history.repo.git(["for-each-ref", "refs/notes/"]).isEmpty)
    }

    @Test func logShowsInferredLinksThenTheNotesWriteNotesWrote() async throws {
        let history = try ReplayedHistory()
        _ = await run(["link"], history)

        // Inferred: shown with their confidence, without usage, not in the totals.
        let inferred = try await loggedSessions(history)
        let claude = try #require(inferred[history.claudeCommitted]?.first)
        #expect(claude["source"] as? String == "inferred")
        #expect(claude["confidence"] as? Double == 1)
        #expect(claude["usage"] is NSNull)
        #expect(inferred[history.codexCommitted]?.first?["source"] as? String == "inferred")
        for human in history.humanCommits { #expect(inferred[human]?.isEmpty == true) }
        let text = await run(["log"], history)
        #expect(text.stdout.contains("inferred by git lsm link, confidence 1.00"))
        #expect(text.stdout.contains("3 inferred links carry no usage and are not in the tokens and cost"))

        // When the strong links are written as notes
        let written = try json(await run(["link", "--write-notes", "--json"], history))
        #expect(written["notesWritten"] as? Int == 3)

        // Then log shows notes, with usage, and the inferred copies are gone
        let noted = try await loggedSessions(history)
        for commit in [history.claudeCommitted, history.claudeEdited, history.codexCommitted] {
            #expect(noted[commit]?.map { $0["source"] as? String } == ["note"], "\(commit)")
            #expect(noted[commit]?.first?["confidence"] is NSNull)
        }
        #expect(noted[history.claudeEdited]?.first?["id"] as? String == history.claudeSession)
        // One call between the parent (a human commit at 10:05) and the commit at 10:09.
        #expect((noted[history.claudeEdited]?.first?["usage"] as? [String: Int])?["input"] == 1000)
        for human in history.humanCommits { #expect(noted[human]?.isEmpty == true) }
    }

    @Test func outsideARepositoryItSaysSoAndWritesNothing() async throws {
        let history = try ReplayedHistory()

        let run = await run(["link", "--write-notes"], history, in: history.repo.sandbox.path)

        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: not a git repository"))
        #expect(run.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: history.environment["LSM_HOME", default: ""] + "/index.sqlite"))
    }

    @Test func aRepositoryWithoutCommitsIsAUserError() async throws {
        let repo = try TestRepository()

        let run = await CommandRun.run(["link", "--write-notes"], in: repo)

        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: branch 'main' has no commits yet\n"))
        #expect(!FileManager.default.fileExists(atPath: repo.environment["LSM_HOME", default: ""] + "/index.sqlite"))
    }

    @Test func aBadSinceIsAUserErrorAndWritesNothing() async throws {
        let history = try ReplayedHistory()

        let run = await run(["link", "--since", "last tuesday", "--write-notes"], history)

        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: cannot read 'last tuesday' as a date\n"))
        #expect(try history.repo.git(["for-each-ref", "refs/notes/"]).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: history.environment["LSM_HOME", default: ""] + "/index.sqlite"))
    }
}
