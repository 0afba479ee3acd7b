import Foundation
import LsmCore
import LsmTestSupport
import Testing

@Suite struct RelocationBenchmarkTests {
    @Test func smallRunScoresEveryEditInBothModes() throws {
        // Given a corpus of four files of code-like lines
        let corpus = try TemporaryDirectory("lsm-relocation-corpus")
        for prefix in ["a", "b", "c", "d"] {
            try Data(RelocatorTests.text(RelocatorTests.source(200, prefix: prefix)).utf8).write(
                to: URL(fileURLWithPath: corpus.child("\(prefix).py")))
        }
        let scratch = try TemporaryDirectory("lsm-relocation-scratch")
        // When the benchmark runs two threads of each edit in each mode
        let options = RelocationBenchmark.Options(
            corpus: corpus.path, seed: 3, threads: 36, speedThreads: 200, speedRuns: 1, scratch: scratch.path,
            environment: HermeticGit.environment(home: scratch.path))
        let report = try RelocationBenchmark(options: options).run()
        // Then every edit is scored in both modes, deleted code is never shown elsewhere, and the
        // relocator does at least as well as plain diff mapping
        #expect(report.edits.count == RelocationEdit.allCases.count * RelocationBenchmark.Mode.allCases.count)
        #expect(report.total.threads == 36)
        let deleted = try #require(report.groups.first { $0.name == "deleted" })
        #expect(deleted.right == deleted.threads)
        #expect(report.total.right >= report.total.baselineRight)
        #expect(report.speed?.threads == 200)
    }
}
