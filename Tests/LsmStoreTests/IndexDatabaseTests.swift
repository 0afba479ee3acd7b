import Foundation
import LsmStore
import LsmTestSupport
import Testing

@Suite struct IndexDatabaseTests {
    @Test func createsFolderAndDatabaseWithMigrationsApplied() throws {
        let folder = try TemporaryDirectory()
        let location = IndexLocation(home: URL(fileURLWithPath: folder.child("nested/lsm")))

        let index = try IndexDatabase(location: location)

        #expect(FileManager.default.fileExists(atPath: location.databaseFile.path))
        #expect(
            try index.appliedMigrations() == [
                "v1-repositories", "v2-sessions", "v4-agent-activity", "v5-commit-links", "v6-comment-locations", "v6-search", "v7-imports",
                "v8-search-spans",
            ])
    }

    @Test func usesWriteAheadLogSoProcessesCanShareIt() throws {
        let folder = try TemporaryDirectory()
        let index = try IndexDatabase(path: folder.child("index.sqlite"))
        _ = try index.noteRepository(commonDir: "/r/.git", workDir: "/r", at: HermeticGit.baseDate)

        let mode = try ProcessRunner.run("sqlite3", [index.path, "PRAGMA journal_mode;"], in: folder.path, environment: [:])
        #expect(mode.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "wal")
    }

    @Test func openersOfANewIndexAtOnceAllSucceed() throws {
        // Git hooks of several worktrees may be the first to open the index, all at the same moment.
        for _ in 0..<10 {
            let folder = try TemporaryDirectory()
            let failures = Failures()
            DispatchQueue.concurrentPerform(iterations: 6) { _ in
                do { _ = try IndexDatabase(path: folder.child("index.sqlite")) } catch { failures.add("\(error)") }
            }
            #expect(failures.all.isEmpty, "\(failures.all)")
        }
    }

    @Test func reopeningKeepsDataAndAppliesNothingTwice() throws {
        let folder = try TemporaryDirectory()
        let path = folder.child("index.sqlite")
        let first = try IndexDatabase(path: path)
        let seen = try first.noteRepository(commonDir: "/r/.git", workDir: "/r", at: HermeticGit.baseDate)

        let second = try IndexDatabase(path: path)
        let later = try second.noteRepository(commonDir: "/r/.git", workDir: "/r", at: HermeticGit.baseDate + 60)

        #expect(later.id == seen.id)
        #expect(later.firstSeenAt == HermeticGit.baseDate)
        #expect(later.lastSeenAt == HermeticGit.baseDate + 60)
        #expect(
            try second.appliedMigrations() == [
                "v1-repositories", "v2-sessions", "v4-agent-activity", "v5-commit-links", "v6-comment-locations", "v6-search", "v7-imports",
                "v8-search-spans",
            ])
    }

    @Test func commitLinksOfReexaminedSessionsAreReplaced() throws {
        let folder = try TemporaryDirectory()
        let index = try IndexDatabase(path: folder.child("index.sqlite"))
        func link(_ commit: String, _ session: String, _ confidence: Double) -> CommitLinkRecord {
            CommitLinkRecord(
                repoCommonDir: "/r/.git", commit: commit, sessionKey: session, confidence: confidence, evidence: "{}", linkedAt: 1)
        }
        try index.replaceCommitLinks(
            repoCommonDir: "/r/.git", sessionKeys: ["codex:a", "codex:b"], with: [link("c1", "codex:a", 1), link("c2", "codex:b", 0.7)])

        try index.replaceCommitLinks(repoCommonDir: "/r/.git", sessionKeys: ["codex:a"], with: [link("c3", "codex:a", 0.9)])

        let links = try index.commitLinks(repoCommonDir: "/r/.git")
        #expect(links.map(\.commit) == ["c2", "c3"])
        #expect(links.map(\.sessionKey) == ["codex:b", "codex:a"])
        #expect(try index.commitLinks(repoCommonDir: "/other/.git").isEmpty)
    }

    @Test func refusesFileThatIsNotADatabaseAndLeavesItAlone() throws {
        let folder = try TemporaryDirectory()
        let path = folder.child("index.sqlite")
        let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        try garbage.write(to: URL(fileURLWithPath: path))

        #expect {
            try IndexDatabase(path: path)
        } throws: { error in
            (error as? StoreError)?.kind == .cannotOpen
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)
    }

    @Test func refusesDirectoryWhereDatabaseShouldBe() throws {
        let folder = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: folder.child("index.sqlite"), withIntermediateDirectories: true)

        #expect {
            try IndexDatabase(path: folder.child("index.sqlite"))
        } throws: { error in
            (error as? StoreError)?.description.contains("it is a directory") == true
        }
    }
}

@Suite struct IndexLocationTests {
    @Test func lsmHomeWins() {
        let location = IndexLocation(environment: ["LSM_HOME": "/data/lsm", "XDG_DATA_HOME": "/xdg", "HOME": "/home/u"])
        #expect(location.databaseFile.path == "/data/lsm/index.sqlite")
    }

    @Test func xdgDataHomeIsNext() {
        let location = IndexLocation(environment: ["XDG_DATA_HOME": "/xdg", "HOME": "/home/u"])
        #expect(location.databaseFile.path == "/xdg/lsm/index.sqlite")
    }

    @Test func relativeXdgDataHomeIsIgnoredAsTheSpecSays() {
        let location = IndexLocation(environment: ["XDG_DATA_HOME": "relative", "HOME": "/home/u"])
        #expect(location.databaseFile.path == "/home/u/.local/share/lsm/index.sqlite")
    }
}

/// Errors collected from concurrent threads.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [String] = []

    func add(_ error: String) { lock.withLock { errors.append(error) } }

    var all: [String] { lock.withLock { errors } }
}
