import Foundation
import LsmTestSupport
import Testing

@Suite struct ManualPageTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func committedManPageMatchesTheCommands() async throws {
        let folder = try TemporaryDirectory()
        let committed = try String(contentsOf: Self.packageRoot.appendingPathComponent("docs/git-lsm.1"), encoding: .utf8)

        let run = await CommandRun.run(["generate-manual"], in: folder.path, environment: [:])

        #expect(run.status == 0)
        #expect(run.stdout == committed, "docs/git-lsm.1 is stale: run `make man`")
    }

    @Test func manPageDocumentsEveryVisibleCommand() async throws {
        let folder = try TemporaryDirectory()

        let run = await CommandRun.run(["generate-manual"], in: folder.path, environment: [:])

        #expect(run.stdout.hasPrefix(".\\\" Generated"))
        #expect(run.stdout.contains(".TH GIT-LSM 1"))
        #expect(run.stdout.contains(".SS git lsm status"))
        #expect(!run.stdout.contains("generate\\-manual"))
    }
}
