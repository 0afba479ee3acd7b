import Foundation
import LsmCore
import LsmTestSupport
import Testing

@Suite struct StatusReporterTests {
    @Test func reportsBranchHeadAndRecordsRepositoryInIndex() throws {
        let repo = try TestRepository()
        let tip = try repo.commit("Add parser", files: ["a.txt": "a\n"])
        let clock = FixedClock()
        let workspace = Workspace(directory: repo.path + "/", environment: repo.environment, now: clock.now)

        let status = try StatusReporter(workspace: workspace).status(of: workspace.openRepository())

        #expect(status.root == repo.path)
        #expect(status.head == .init(state: .branch, branch: "main", commit: tip, subject: "Add parser"))
        #expect(status.index.firstSeenAt == clock.now())
        #expect(status.index.path == repo.environment["LSM_HOME"].map { $0 + "/index.sqlite" })
    }

    @Test func keepsFirstSeenTimeOnLaterRuns() throws {
        let repo = try TestRepository()
        try repo.commit("Initial")
        let clock = FixedClock()
        let workspace = Workspace(directory: repo.path, environment: repo.environment, now: clock.now)
        let firstSeen = clock.now()

        _ = try StatusReporter(workspace: workspace).status(of: workspace.openRepository())
        clock.advance(by: 3600)
        let status = try StatusReporter(workspace: workspace).status(of: workspace.openRepository())

        #expect(status.index.firstSeenAt == firstSeen)
    }

    @Test func outsideRepositoryIsUserErrorAndCreatesNoIndex() throws {
        let folder = try TemporaryDirectory()
        let home = folder.child("lsm-home")
        let workspace = Workspace(directory: folder.path, environment: ["LSM_HOME": home])

        #expect {
            try StatusReporter(workspace: workspace).status(of: workspace.openRepository())
        } throws: { error in
            (error as? LsmError)?.kind == .user
        }
        #expect(!FileManager.default.fileExists(atPath: home))
    }
}
