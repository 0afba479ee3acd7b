import Foundation
import LsmCore
import LsmTestSupport
import Testing

/// Worktrees committing at the same moment run their hooks at once; every commit keeps its note.
@Suite struct ConcurrentCommitTests {
    @Test func fourWorktreesCommittingAtOnceLoseNoNote() throws {
        let hooked = try HookedRepository()
        try hooked.commit("Initial", files: ["README.md": "hello\n"], at: .minutesAgo(50))
        try hooked.install()
        let worktrees = try (1...4).map { number in
            let path = hooked.repo.sandbox.child("wt\(number)")
            try hooked.git(["worktree", "add", "-q", "-b", "b\(number)", path])
            try hooked.claude(
                "s\(number)", [.init(at: .minutesAgo(3), output: number, edits: ["w\(number).txt"])], cwd: path, branch: "b\(number)")
            return path
        }

        let rounds = 3
        let commits = Commits()
        DispatchQueue.concurrentPerform(iterations: worktrees.count) { index in
            for round in 0..<rounds {
                do {
                    let id = try hooked.commit(
                        "Work \(index + 1).\(round)", files: ["w\(index + 1).txt": "round \(round)\n"], in: worktrees[index])
                    commits.add(index + 1, id)
                } catch {
                    commits.fail("\(error)")
                }
            }
        }

        #expect(commits.failures.isEmpty, "\(commits.failures)")
        #expect(commits.all.count == worktrees.count * rounds)
        for (number, id) in commits.all {
            let note = try hooked.note(id)
            #expect(note?.sessions.map(\.reference) == ["claude-code/s\(number)"], "worktree \(number), commit \(id)")
            #expect(note?.sessions.first?.branch == "b\(number)")
        }
        let noted = try hooked.git(["notes", "--ref=lsm", "list"]).split(separator: "\n")
        #expect(noted.count == worktrees.count * rounds)
        #expect(try hooked.hooksLog() == "")
    }
}

/// The commits made by concurrent threads, and what went wrong.
private final class Commits: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var all: [(Int, String)] = []
    private(set) var failures: [String] = []

    func add(_ worktree: Int, _ id: String) {
        lock.withLock { all.append((worktree, id)) }
    }

    func fail(_ message: String) {
        lock.withLock { failures.append(message) }
    }
}
