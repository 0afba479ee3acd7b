import Foundation
import LsmGit

/// The relocation benchmark behind `lsm bench-relocation` (and so `make bench`): real source files
/// nobody here wrote, comments anchored on random ranges, edits of known outcome committed and left
/// uncommitted in a temporary git repository, every thread relocated by the relocator and by plain
/// diff mapping (the baseline) and scored; then 10,000 threads relocated to HEAD, timed.
public struct RelocationBenchmark {
    /// What to run.
    public struct Options: Sendable {
        /// A folder of source files (its regular files of 160+ lines, not recursively).
        public var corpus: String
        public var seed: UInt64
        /// Scored threads, spread evenly over the edits and over committed and uncommitted.
        public var threads: Int
        /// Threads relocated to HEAD in the timing.
        public var speedThreads: Int
        /// Timed repetitions (the median is reported).
        public var speedRuns: Int
        /// Where the temporary repository goes.
        public var scratch: String
        /// The environment `git` runs with (made hermetic here).
        public var environment: [String: String]

        public init(
            corpus: String, seed: UInt64 = 1, threads: Int = 2_700, speedThreads: Int = 10_000, speedRuns: Int = 5,
            scratch: String = NSTemporaryDirectory(), environment: [String: String] = ProcessInfo.processInfo.environment
        ) {
            self.corpus = corpus
            self.seed = seed
            self.threads = threads
            self.speedThreads = speedThreads
            self.speedRuns = speedRuns
            self.scratch = scratch
            self.environment = environment
        }
    }

    public let options: Options

    public init(options: Options) {
        self.options = options
    }

    /// Whether the edits were committed (relocated to HEAD) or left in the working tree.
    public enum Mode: String, Codable, Sendable, CaseIterable {
        case committed
        case uncommitted
    }

    private struct Case {
        var scenario: RelocationScenario
        var mode: Mode
        var path: String
        var newPath: String
    }

    public func run() throws(LsmError) -> RelocationBenchmarkReport {
        do {
            return try measure()
        } catch let error as LsmError {
            throw error
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    private func measure() throws -> RelocationBenchmarkReport {
        let sources = try corpusFiles()
        guard sources.count >= 2 else {
            throw LsmError(.user, "the corpus \(options.corpus) has fewer than two source files of 160+ lines")
        }
        var random = SeededRandom(seed: options.seed)
        let root = (options.scratch as NSString).appendingPathComponent("lsm-relocation-bench-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(atPath: root)
        defer { try? FileManager.default.removeItem(atPath: root) }

        // One repository per batch, each source file in at most one case of a batch: two cases cut
        // from the same file would hold each other's code, and a block deleted from one would
        // rightly be found "moved" to the other.
        let edits = RelocationEdit.allCases
        var scored: [(scenario: RelocationScenario, mode: Mode, path: String)] = []
        var relocated: [AnchorLocation] = []
        var baseline: [AnchorLocation] = []
        var first = 0
        var batch = 0
        while first < options.threads {
            let indices = first..<min(options.threads, first + sources.count)
            let order = Array(sources.indices).shuffled(using: &random)
            let cases = indices.enumerated().compactMap { offset, index in
                makeCase(
                    edits[index % edits.count], mode: Mode.allCases[(index / edits.count) % Mode.allCases.count], number: index,
                    source: sources[order[offset]], using: &random)
            }
            let built = try buildRepository(cases, at: (root as NSString).appendingPathComponent("batch\(batch)"))
            for strategy in [RelocationSession.Strategy.full, .diffShift] {
                var locations = [AnchorLocation](repeating: .orphaned, count: cases.count)
                for mode in Mode.allCases {
                    let chosen = cases.indices.filter { cases[$0].mode == mode }
                    let found = try Relocator(repository: built.repository).relocate(
                        chosen.map { built.anchors[$0] }, to: mode == .committed ? .commit(built.head) : .workingTree, strategy: strategy)
                    for (index, location) in zip(chosen, found) { locations[index] = location }
                }
                if strategy == .full { relocated += locations } else { baseline += locations }
            }
            scored += cases.map { ($0.scenario, $0.mode, $0.newPath) }
            first = indices.upperBound
            batch += 1
        }
        var report = RelocationBenchmarkReport(seed: options.seed, corpus: options.corpus, corpusFiles: sources.count)
        report.score(scored, relocated: relocated, baseline: baseline)

        // The timing: every source file once, edited by each kind of edit in turn, committed.
        let cases = sources.indices.compactMap { index in
            makeCase(edits[index % edits.count], mode: .committed, number: index, source: sources[index], using: &random)
        }
        let built = try buildRepository(cases, at: (root as NSString).appendingPathComponent("speed"))
        report.speed = try timeRelocation(cases: cases, base: built.base, head: built.head, root: built.root, using: &random)
        return report
    }

    /// A case of `edit` on a slice of `source`, inserting lines from elsewhere in the same file.
    private func makeCase(_ edit: RelocationEdit, mode: Mode, number: Int, source: [String], using random: inout SeededRandom) -> Case? {
        for _ in 0..<50 {
            let size = Int.random(in: 120...min(300, source.count - 20), using: &random)
            let from = Int.random(in: 0...(source.count - size), using: &random)
            let donor = Array(source[..<from] + source[(from + size)...])
            guard let scenario = RelocationScenario.make(edit, lines: Array(source[from..<(from + size)]), donor: donor, using: &random)
            else { continue }
            let path = "cases/\(mode.rawValue)/case\(number).py"
            let newPath = scenario.renamed ? "renamed/\(mode.rawValue)/case\(number)-renamed.py" : path
            return Case(scenario: scenario, mode: mode, path: path, newPath: newPath)
        }
        return nil
    }

    private struct BuiltRepository {
        var root: String
        var repository: Repository
        var base: String
        var head: ObjectID
        var anchors: [Anchor]
    }

    /// A repository whose first commit holds the cases' files; the second, the committed cases'
    /// edits; the working tree, the uncommitted ones'.
    private func buildRepository(_ cases: [Case], at root: String) throws -> BuiltRepository {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let git = GitCommand(workspace: Workspace(directory: root, environment: Self.hermetic(options.environment, home: root)))
        try git.run(["init", "-q", "-b", "main"])
        for item in cases { try write(item.scenario.original, to: item.path, in: root) }
        try git.run(["add", "-A"])
        try git.run(["commit", "-q", "-m", "corpus"])
        let base = try git.run(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
        for item in cases where item.mode == .committed { try apply(item, in: root) }
        try git.run(["add", "-A"])
        try git.run(["commit", "-q", "--allow-empty", "-m", "edits"])
        guard let head = ObjectID(hex: try git.run(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw LsmError(.internal, "git rev-parse HEAD printed no commit id in \(root)")
        }
        for item in cases where item.mode == .uncommitted { try apply(item, in: root) }
        let anchors = try cases.map { item in
            Anchor(
                commit: base, path: item.path, blob: try ObjectID.blob(hashing: Self.contents(item.scenario.original)).hex,
                startLine: item.scenario.start, endLine: item.scenario.end, fileLines: item.scenario.original)
        }
        return BuiltRepository(root: root, repository: try Repository.open(at: root), base: base, head: head, anchors: anchors)
    }

    /// The corpus's files of 160+ lines of text, by name.
    private func corpusFiles() throws -> [[String]] {
        let names = try FileManager.default.contentsOfDirectory(atPath: options.corpus).sorted()
        return names.compactMap { name in
            let path = (options.corpus as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path), !FileLines.isBinary(data) else { return nil }
            let lines = FileLines.split(data)
            return lines.count >= 160 ? lines : nil
        }
    }

    private func apply(_ item: Case, in root: String) throws {
        if item.newPath != item.path { try FileManager.default.removeItem(atPath: (root as NSString).appendingPathComponent(item.path)) }
        try write(item.scenario.edited, to: item.newPath, in: root)
    }

    private func write(_ lines: [String], to path: String, in root: String) throws {
        let url = URL(fileURLWithPath: root).appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Self.contents(lines).write(to: url)
    }

    static func contents(_ lines: [String]) -> Data {
        Data((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// `speedThreads` anchors on random ranges of the committed cases' files, relocated to HEAD:
    /// each run opens the repository afresh; the median and every run are reported.
    private func timeRelocation(cases: [Case], base: String, head: ObjectID, root: String, using random: inout SeededRandom) throws
        -> RelocationBenchmarkReport.Speed
    {
        var anchors: [Anchor] = []
        var blobs: [String: String] = [:]
        while anchors.count < options.speedThreads, !cases.isEmpty {
            let item = cases[Int.random(in: 0..<cases.count, using: &random)]
            let lines = item.scenario.original
            guard let (start, end) = RelocationScenario.anchoredRange(in: lines, using: &random) else { continue }
            let blob = try blobs[item.path] ?? ObjectID.blob(hashing: Self.contents(lines)).hex
            blobs[item.path] = blob
            anchors.append(Anchor(commit: base, path: item.path, blob: blob, startLine: start, endLine: end, fileLines: lines))
        }
        func timed(_ strategy: RelocationSession.Strategy) throws -> [Double] {
            try (0..<max(1, options.speedRuns)).map { _ in
                let started = DispatchTime.now().uptimeNanoseconds
                let repository = try Repository.open(at: root)
                _ = try Relocator(repository: repository).relocate(anchors, to: .commit(head), strategy: strategy)
                return Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            }
        }
        return RelocationBenchmarkReport.Speed(
            threads: anchors.count, files: Set(anchors.map(\.path)).count, seconds: try timed(.full), baselineSeconds: try timed(.diffShift)
        )
    }

    /// `environment` with git's user and system configuration shut out and a fixed author.
    static func hermetic(_ environment: [String: String], home: String) -> [String: String] {
        var result = environment
        result["GIT_CONFIG_GLOBAL"] = "/dev/null"
        result["GIT_CONFIG_NOSYSTEM"] = "1"
        result["GIT_AUTHOR_NAME"] = "Relocation Bench"
        result["GIT_AUTHOR_EMAIL"] = "bench@example.com"
        result["GIT_COMMITTER_NAME"] = "Relocation Bench"
        result["GIT_COMMITTER_EMAIL"] = "bench@example.com"
        result["GIT_DIR"] = nil
        result["GIT_WORK_TREE"] = nil
        result["GIT_INDEX_FILE"] = nil
        return result
    }
}
