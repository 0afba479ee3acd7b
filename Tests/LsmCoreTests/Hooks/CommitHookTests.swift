import Foundation
import LsmCore
import LsmTestSupport
import Testing

/// Commits made by the real `git` with lsm's hooks installed get notes naming the sessions at work.
@Suite struct CommitHookTests {
    @Test func noteNamesTheSessionItsUsageSinceTheParentAndTheFilesItEdited() throws {
        let hooked = try HookedRepository()
        let parentTime = Date.minutesAgo(20)
        let parent = try hooked.commit("Initial", files: ["README.md": "hello\n"], at: parentTime)
        try hooked.install()
        // Given a session that worked before and after the parent commit, another repository's
        // session, another branch's session, and a session idle for longer than the window.
        try hooked.claude(
            "s1",
            [
                .init(at: .minutesAgo(25), output: 1_000),
                .init(at: .minutesAgo(10), output: 7, edits: ["a.swift"]),
                .init(at: .minutesAgo(5), output: 20, edits: ["b.swift"]),
            ])
        let elsewhere = try TemporaryDirectory("lsm-elsewhere")
        try hooked.claude("other-repo", [.init(at: .minutesAgo(2), output: 5, edits: ["a.swift"])], cwd: elsewhere.path)
        try hooked.claude("other-branch", [.init(at: .minutesAgo(2), output: 5, edits: ["a.swift"])], branch: "feature")
        try hooked.claude("idle", [.init(at: .minutesAgo(45), output: 5, edits: ["a.swift"])])

        // When a commit changes a file the session edited and one it did not.
        let commit = try hooked.commit("Add a", files: ["a.swift": "let a = 1\n", "c.txt": "c\n"])

        // Then its note names the one session, with the usage of its calls since the parent commit
        // and only the committed files it edited.
        let note = try hooked.requireNote(commit)
        #expect(note.schema == "lsm.commit/1")
        #expect(note.rewrittenFrom == nil)
        #expect(note.sessions.map(\.reference) == ["claude-code/s1"])
        let session = try #require(note.sessions.first)
        #expect(session.usage == CommitNote.Usage(input: 20, output: 27, cacheWrite: 0, cacheRead: 0))
        #expect(session.filesTouched == ["a.swift"])
        #expect(session.branch == "main")
        #expect(session.model == "claude-sonnet-4-5-20250929")
        #expect((session.costUSD ?? 0) > 0)
        #expect(try hooked.note(parent) == nil)
        #expect(try hooked.hooksLog() == "")
    }

    @Test func commitWithNoSessionAtWorkGetsNoNote() throws {
        let hooked = try HookedRepository()
        try hooked.install()
        try hooked.claude("idle", [.init(at: .minutesAgo(45), output: 5)])

        let commit = try hooked.commit("Initial", files: ["a.txt": "a\n"])

        #expect(try hooked.note(commit) == nil)
        #expect(try hooked.hooksLog() == "")
    }

    @Test func firstCommitOfAnEmptyRepositoryIsNoted() throws {
        let hooked = try HookedRepository()
        try hooked.install()
        try hooked.claude("s1", [.init(at: .minutesAgo(3), output: 9, edits: ["a.txt"])])

        let commit = try hooked.commit("Initial", files: ["a.txt": "a\n"])

        let session = try #require(try hooked.requireNote(commit).sessions.first)
        #expect(session.reference == "claude-code/s1")
        #expect(session.usage?.output == 9)
        #expect(session.filesTouched == ["a.txt"])
    }

    @Test func commitOnDetachedHeadIsNoted() throws {
        let hooked = try HookedRepository()
        try hooked.commit("Initial", files: ["a.txt": "a\n"])
        try hooked.install()
        try hooked.git(["checkout", "-q", "--detach"])
        try hooked.claude("s1", [.init(at: .minutesAgo(3), output: 9, edits: ["b.txt"])])

        let commit = try hooked.commit("Detached work", files: ["b.txt": "b\n"])

        let note = try hooked.requireNote(commit)
        #expect(note.sessions.map(\.reference) == ["claude-code/s1"])
        #expect(note.sessions.first?.filesTouched == ["b.txt"])
    }

    @Test func backgroundHookWritesTheNoteSoonAfter() throws {
        let hooked = try HookedRepository(background: true)
        try hooked.install()
        try hooked.claude("s1", [.init(at: .minutesAgo(3), output: 9, edits: ["a.txt"])])

        let commit = try hooked.commit("Initial", files: ["a.txt": "a\n"])

        let deadline = Date().addingTimeInterval(15)
        var note = try hooked.note(commit)
        while note == nil && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            note = try hooked.note(commit)
        }
        #expect(note?.sessions.map(\.reference) == ["claude-code/s1"])
    }

    @Test(arguments: ["garbage file as LSM_HOME", "garbage index", "index is a folder", "unwritable LSM_HOME"])
    func brokenIndexStillCommitsQuietlyAndLogs(_ breakage: String) throws {
        let base = try HookedRepository()
        var environment = base.environment
        let home = base.transcripts.folder.child("broken-home")
        switch breakage {
        case "garbage file as LSM_HOME":
            try Data("not a folder\0\u{1}".utf8).write(to: URL(fileURLWithPath: home))
        case "garbage index":
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            try Data(repeating: 0xA5, count: 8_192).write(to: URL(fileURLWithPath: home + "/index.sqlite"))
        case "index is a folder":
            try FileManager.default.createDirectory(atPath: home + "/index.sqlite", withIntermediateDirectories: true)
        default:
            // Not even root may create a folder in /proc (file modes would not stop root).
            environment["LSM_HOME"] = "/proc/lsm-test-\(UUID().uuidString)"
        }
        environment["LSM_HOME"] = environment["LSM_HOME"] == base.environment["LSM_HOME"] ? home : environment["LSM_HOME"]
        try base.install()
        try base.claude("s1", [.init(at: .minutesAgo(3), output: 9, edits: ["a.txt"])])
        try base.repo.write("a.txt", "a\n")
        try base.git(["add", "-A"])

        let commit = try ProcessRunner.run("git", ["commit", "-m", "Initial"], in: base.path, environment: environment)

        #expect(commit.status == 0)
        #expect(commit.stderr == "")
        #expect(!commit.stdout.contains("lsm"))
        #expect(try base.note("HEAD") == nil)
        #expect(try base.hooksLog().contains("post-commit: "))
    }
}
