import Foundation
import LsmGit
import LsmTestSupport
import Testing

@Suite struct ReferenceTests {
    private func makeCommit(_ repository: Repository, parent: ObjectID?, _ text: String) throws -> ObjectID {
        let blob = try repository.writeBlob(Data(text.utf8))
        let tree = try repository.writeTree(files: ["entry": blob])
        let author = Signature(name: "Lsm", email: "lsm@example.com", date: HermeticGit.baseDate)
        return try repository.createCommit(tree: tree, parents: parent.map { [$0] } ?? [], message: text, author: author)
    }

    @Test func createsReferenceOnlyWhenAbsent() throws {
        let repo = try TestRepository()
        let opened = try Repository.discover(containing: repo.path)
        let first = try makeCommit(opened, parent: nil, "one")

        try opened.updateReference("refs/lsm/test", to: first, expecting: nil, message: "create")

        #expect(try opened.referenceTarget("refs/lsm/test") == first)
        #expect(try repo.revParse("refs/lsm/test") == first.hex)
        #expect {
            try opened.updateReference("refs/lsm/test", to: first, expecting: nil, message: "again")
        } throws: { error in
            (error as? GitError)?.code == .modified
        }
    }

    @Test func compareAndSwapRefusesStaleOldValue() throws {
        let repo = try TestRepository()
        let opened = try Repository.discover(containing: repo.path)
        let one = try makeCommit(opened, parent: nil, "one")
        let two = try makeCommit(opened, parent: one, "two")
        let three = try makeCommit(opened, parent: one, "three")
        try opened.updateReference("refs/lsm/cas", to: one, expecting: nil, message: "create")
        try opened.updateReference("refs/lsm/cas", to: two, expecting: one, message: "advance")

        // Given a writer that still believes the reference points at `one`
        #expect {
            try opened.updateReference("refs/lsm/cas", to: three, expecting: one, message: "stale")
        } throws: { error in
            (error as? GitError)?.code == .modified
        }
        // Then the reference keeps the newer value
        #expect(try opened.referenceTarget("refs/lsm/cas") == two)
    }

    @Test func deleteRequiresExpectedValue() throws {
        let repo = try TestRepository()
        let opened = try Repository.discover(containing: repo.path)
        let one = try makeCommit(opened, parent: nil, "one")
        let two = try makeCommit(opened, parent: one, "two")
        try opened.updateReference("refs/lsm/gone", to: two, expecting: nil, message: "create")

        #expect(throws: GitError.self) { try opened.deleteReference("refs/lsm/gone", expecting: one) }
        try opened.deleteReference("refs/lsm/gone", expecting: two)
        #expect(try opened.referenceTarget("refs/lsm/gone") == nil)
    }

    @Test func listsReferencesByPrefix() throws {
        let repo = try TestRepository()
        try repo.commit("Initial", files: ["a": "a\n"])
        let opened = try Repository.discover(containing: repo.path)
        let commit = try makeCommit(opened, parent: nil, "x")
        for name in ["refs/lsm/comments/b", "refs/lsm/comments/a", "refs/lsm/other"] {
            try opened.updateReference(name, to: commit, expecting: nil, message: "create")
        }
        try repo.git(["pack-refs", "--all"])
        try opened.updateReference("refs/lsm/comments/c", to: commit, expecting: nil, message: "loose")

        let names = try opened.references(withPrefix: "refs/lsm/comments/").map(\.name)

        #expect(names == ["refs/lsm/comments/a", "refs/lsm/comments/b", "refs/lsm/comments/c"])
    }

    @Test func eightConcurrentWritersOnOneReferenceLoseNothing() async throws {
        let repo = try TestRepository()
        let reference = "refs/lsm/contended"
        let writers = 8
        let commitsPerWriter = 25
        let path = repo.path

        // Each writer has its own repository handle, appends commits on top of whatever the reference
        // points at, and publishes with compare-and-swap, retrying when another writer won.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    let opened = try Repository.discover(containing: path)
                    for index in 0..<commitsPerWriter {
                        try opened.retryingConflicts { () throws(GitError) in
                            let tip = try opened.referenceTarget(reference)
                            let blob = try opened.writeBlob(Data("writer \(writer) commit \(index)".utf8))
                            let tree = try opened.writeTree(files: ["entry": blob])
                            let author = Signature(name: "w\(writer)", email: "w@example.com", date: HermeticGit.baseDate)
                            let commit = try opened.createCommit(
                                tree: tree, parents: tip.map { [$0] } ?? [], message: "w\(writer) c\(index)", author: author)
                            try opened.updateReference(reference, to: commit, expecting: tip, message: "append")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }

        let count = try repo.git(["rev-list", "--count", reference]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(count == "\(writers * commitsPerWriter)")
    }

    @Test func concurrentCreatorsOfOneReferenceHaveOneWinner() async throws {
        let repo = try TestRepository()
        let path = repo.path
        let setup = try Repository.discover(containing: path)
        let targets = try (0..<6).map { try makeCommit(setup, parent: nil, "writer \($0)") }

        // Each round, every writer creates the same new reference at once, expecting it absent.
        for round in 0..<20 {
            let reference = "refs/lsm/race-\(round)"
            let winners = try await withThrowingTaskGroup(of: Int.self) { group in
                for target in targets {
                    group.addTask {
                        let opened = try Repository.discover(containing: path)
                        do {
                            try opened.updateReference(reference, to: target, expecting: nil, message: "create")
                            return 1
                        } catch let error as GitError where error.code == .modified || error.code == .locked {
                            return 0
                        }
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(winners == 1, "round \(round): \(winners) writers each believed they created \(reference)")
        }
    }
}
