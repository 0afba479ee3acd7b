import Foundation
import LsmGit
import LsmTestSupport
import Testing

@Suite struct RepositoryDiscoveryTests {
    @Test func discoversRepositoryFromSubfolder() throws {
        let repo = try TestRepository()
        try repo.commit("Initial", files: ["src/app/main.swift": "print(1)\n"])

        let opened = try Repository.discover(containing: repo.path + "/src/app")

        #expect(opened.workDirectory == repo.path)
        #expect(opened.gitDirectory == repo.path + "/.git")
        #expect(opened.commonDirectory == repo.path + "/.git")
        #expect(!opened.isBare)
        #expect(!opened.isLinkedWorktree)
    }

    @Test func reportsNotFoundOutsideAnyRepository() throws {
        let folder = try TemporaryDirectory()

        #expect {
            try Repository.discover(containing: folder.path)
        } throws: { error in
            (error as? GitError)?.code == .notFound
        }
    }

    @Test func opensBareRepositoryWithoutWorkTree() throws {
        let repo = try TestRepository(bare: true)

        let opened = try Repository.discover(containing: repo.path)

        #expect(opened.isBare)
        #expect(opened.workDirectory == nil)
        #expect(opened.gitDirectory == repo.path)
        #expect(try opened.head() == .unborn(branch: "main"))
    }

    @Test func linkedWorktreeSharesCommonDirectoryWithMainRepository() throws {
        let repo = try TestRepository()
        try repo.commit("Initial", files: ["a.txt": "a\n"])
        let worktree = repo.sandbox.child("wt")
        try repo.git(["worktree", "add", "-q", "-b", "feature", worktree])

        let opened = try Repository.discover(containing: worktree)

        #expect(opened.isLinkedWorktree)
        #expect(opened.workDirectory == worktree)
        #expect(opened.gitDirectory == repo.path + "/.git/worktrees/wt")
        #expect(opened.commonDirectory == repo.path + "/.git")
        #expect(try opened.head().branchName == "feature")
    }

    @Test func openAtRefusesToSearchParentFolders() throws {
        let repo = try TestRepository()
        try repo.write("sub/file.txt", "x\n")

        #expect(throws: GitError.self) { try Repository.open(at: repo.path + "/sub") }
        #expect(try Repository.open(at: repo.path).workDirectory == repo.path)
    }
}

@Suite struct HeadTests {
    @Test func unbornBranchHasNoCommit() throws {
        let repo = try TestRepository()

        let head = try Repository.discover(containing: repo.path).head()

        #expect(head == .unborn(branch: "main"))
        #expect(head.commit == nil)
    }

    @Test func branchHeadNamesBranchAndTip() throws {
        let repo = try TestRepository()
        let tip = try repo.commit("Initial", files: ["a.txt": "a\n"])

        let head = try Repository.discover(containing: repo.path).head()

        #expect(head == .branch(name: "main", commit: try ObjectID.parse(tip)))
    }

    @Test func detachedHeadHasCommitButNoBranch() throws {
        let repo = try TestRepository()
        let first = try repo.commit("First", files: ["a.txt": "1\n"])
        try repo.commit("Second", files: ["a.txt": "2\n"])
        try repo.git(["checkout", "-q", "--detach", first])

        let head = try Repository.discover(containing: repo.path).head()

        #expect(head == .detached(try ObjectID.parse(first)))
        #expect(head.branchName == nil)
    }

    @Test func orphanBranchIsUnbornEvenWithOtherBranchesPresent() throws {
        let repo = try TestRepository()
        try repo.commit("Initial", files: ["a.txt": "a\n"])
        try repo.git(["checkout", "-q", "--orphan", "fresh"])

        #expect(try Repository.discover(containing: repo.path).head() == .unborn(branch: "fresh"))
    }
}
