import ArgumentParser
import Foundation
import LsmCore

/// `lsm bench-relocation`: the comment relocation benchmark of `make bench` (hidden).
struct BenchRelocationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-relocation",
        abstract: "Measure comment relocation on edits of known outcome, against plain diff mapping, and its speed.",
        shouldDisplay: false)

    @OptionGroup var global: GlobalOptions

    @Option(help: "A folder of source files to anchor comments in (its files of 160+ lines).")
    var corpus: String

    @Option(help: "The seed of the random choices.")
    var seed: UInt64 = 1

    @Option(help: "Scored threads, spread over the edits, committed and uncommitted.")
    var threads: Int = 2_700

    @Option(help: "Threads relocated to HEAD in the timing.")
    var speedThreads: Int = 10_000

    @Option(help: "Timed repetitions (the median is reported).")
    var speedRuns: Int = 5

    func validate() throws {
        guard threads > 0, speedThreads > 0, speedRuns > 0 else {
            throw ValidationError("--threads, --speed-threads and --speed-runs must be positive")
        }
    }

    func run() throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let options = RelocationBenchmark.Options(
            corpus: corpus, seed: seed, threads: threads, speedThreads: speedThreads, speedRuns: speedRuns,
            environment: workspace.environment)
        let report = try RelocationBenchmark(options: options).run()
        if global.json {
            context.console.line(try JSONOutput.encode(report))
            return
        }
        for score in report.edits + report.groups + [report.total] {
            let name = (score.name + " " + (score.mode ?? "")).padding(toLength: 36, withPad: " ", startingAt: 0)
            let errors = score.errors
            context.console.line(
                name
                    + String(
                        format:
                            "%5d threads  %6.2f %% right (diff only %6.2f %%); wrong line %d, spurious %d, eliminated %d, wrong state %d",
                        score.threads, 100 * score.accuracy, 100 * score.baselineAccuracy, errors.wrongLine, errors.spurious,
                        errors.eliminated, errors.wrongState))
        }
        if let speed = report.speed {
            context.console.line(
                String(
                    format: "%d threads on %d files relocated to HEAD: median %.3f s (diff only %.3f s)", speed.threads, speed.files,
                    speed.median, speed.baselineMedian))
        }
    }
}
