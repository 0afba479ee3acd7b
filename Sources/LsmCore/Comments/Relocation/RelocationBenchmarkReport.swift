/// What the relocation benchmark measured (`lsm bench-relocation --json`): accuracy per edit and
/// mode, per bar group, the LHDiff paper's kinds of error, the same for plain diff mapping, and the
/// time to relocate 10,000 threads.
public struct RelocationBenchmarkReport: Codable, Sendable {
    /// How threads fared against their right answer, in the LHDiff paper's terms plus one.
    public struct Errors: Codable, Sendable, Equatable {
        /// Shown at the wrong place (the paper's "change").
        public var wrongLine = 0
        /// Shown somewhere although the code was deleted.
        public var spurious = 0
        /// Reported deleted (`outdated`, `orphaned`) although the code is there.
        public var eliminated = 0
        /// The right place, but the state says otherwise (`current` for an edited line, `changed` for an untouched one).
        public var wrongState = 0

        public var total: Int { wrongLine + spurious + eliminated + wrongState }

        mutating func add(_ other: Errors) {
            wrongLine += other.wrongLine
            spurious += other.spurious
            eliminated += other.eliminated
            wrongState += other.wrongState
        }
    }

    /// One edit in one mode, or one bar group over both modes.
    public struct Score: Codable, Sendable {
        public var name: String
        public var mode: String?
        public var threads = 0
        public var right = 0
        public var baselineRight = 0
        /// The states the relocator reported, by name.
        public var states: [String: Int] = [:]
        public var errors = Errors()
        public var baselineErrors = Errors()

        public var accuracy: Double { threads == 0 ? 0 : Double(right) / Double(threads) }
        public var baselineAccuracy: Double { threads == 0 ? 0 : Double(baselineRight) / Double(threads) }

        mutating func add(_ other: Score) {
            threads += other.threads
            right += other.right
            baselineRight += other.baselineRight
            for (state, count) in other.states { states[state, default: 0] += count }
            errors.add(other.errors)
            baselineErrors.add(other.baselineErrors)
        }

        enum CodingKeys: String, CodingKey {
            case name, mode, threads, right, baselineRight, states, errors, baselineErrors, accuracy, baselineAccuracy
        }

        public init(name: String, mode: String?) {
            self.name = name
            self.mode = mode
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            mode = try container.decodeIfPresent(String.self, forKey: .mode)
            threads = try container.decode(Int.self, forKey: .threads)
            right = try container.decode(Int.self, forKey: .right)
            baselineRight = try container.decode(Int.self, forKey: .baselineRight)
            states = try container.decode([String: Int].self, forKey: .states)
            errors = try container.decode(Errors.self, forKey: .errors)
            baselineErrors = try container.decode(Errors.self, forKey: .baselineErrors)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encodeIfPresent(mode, forKey: .mode)
            try container.encode(threads, forKey: .threads)
            try container.encode(right, forKey: .right)
            try container.encode(baselineRight, forKey: .baselineRight)
            try container.encode(states, forKey: .states)
            try container.encode(errors, forKey: .errors)
            try container.encode(baselineErrors, forKey: .baselineErrors)
            try container.encode(accuracy, forKey: .accuracy)
            try container.encode(baselineAccuracy, forKey: .baselineAccuracy)
        }
    }

    /// Relocating many threads to HEAD in one call, each run with the repository opened afresh.
    public struct Speed: Codable, Sendable {
        public var threads: Int
        /// The distinct files the threads are on.
        public var files: Int
        public var seconds: [Double]
        public var baselineSeconds: [Double]
        public var median: Double { Self.median(seconds) }
        public var baselineMedian: Double { Self.median(baselineSeconds) }

        static func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return 0 }
            return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }

        enum CodingKeys: String, CodingKey {
            case threads, files, seconds, baselineSeconds, median, baselineMedian
        }

        public init(threads: Int, files: Int, seconds: [Double], baselineSeconds: [Double]) {
            self.threads = threads
            self.files = files
            self.seconds = seconds
            self.baselineSeconds = baselineSeconds
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            threads = try container.decode(Int.self, forKey: .threads)
            files = try container.decode(Int.self, forKey: .files)
            seconds = try container.decode([Double].self, forKey: .seconds)
            baselineSeconds = try container.decode([Double].self, forKey: .baselineSeconds)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(threads, forKey: .threads)
            try container.encode(files, forKey: .files)
            try container.encode(seconds, forKey: .seconds)
            try container.encode(baselineSeconds, forKey: .baselineSeconds)
            try container.encode(median, forKey: .median)
            try container.encode(baselineMedian, forKey: .baselineMedian)
        }
    }

    public var seed: UInt64
    public var corpus: String
    public var corpusFiles: Int
    /// Per edit and mode.
    public var edits: [Score] = []
    /// Per bar group (both modes).
    public var groups: [Score] = []
    public var total = Score(name: "all", mode: nil)
    public var speed: Speed?
    /// The first wrong answers of the relocator, for a look at what went wrong.
    public var examples: [String] = []

    public init(seed: UInt64, corpus: String, corpusFiles: Int) {
        self.seed = seed
        self.corpus = corpus
        self.corpusFiles = corpusFiles
    }

    /// Scores each case's location from the relocator and from the baseline.
    mutating func score(
        _ cases: [(scenario: RelocationScenario, mode: RelocationBenchmark.Mode, path: String)], relocated: [AnchorLocation],
        baseline: [AnchorLocation]
    ) {
        var byEdit: [String: Score] = [:]
        for (index, item) in cases.enumerated() where index < relocated.count && index < baseline.count {
            let key = item.scenario.edit.rawValue + " " + item.mode.rawValue
            var score = byEdit[key] ?? Score(name: item.scenario.edit.rawValue, mode: item.mode.rawValue)
            score.threads += 1
            let verdict = Self.judge(relocated[index], item.scenario, path: item.path)
            let baselineVerdict = Self.judge(baseline[index], item.scenario, path: item.path)
            if verdict.total == 0 {
                score.right += 1
            } else if examples.count < 40 {
                let got = relocated[index]
                examples.append(
                    "\(key) \(item.path): anchored \(item.scenario.start)-\(item.scenario.end), expected \(item.scenario.expectedStart)-\(item.scenario.expectedEnd), got \(got.state.rawValue) \(got.path ?? "-") \(got.startLine ?? 0)-\(got.endLine ?? 0)"
                )
            }
            if baselineVerdict.total == 0 { score.baselineRight += 1 }
            score.states[relocated[index].state.rawValue, default: 0] += 1
            score.errors.add(verdict)
            score.baselineErrors.add(baselineVerdict)
            byEdit[key] = score
        }
        edits = RelocationEdit.allCases.flatMap { edit in
            RelocationBenchmark.Mode.allCases.compactMap { byEdit[edit.rawValue + " " + $0.rawValue] }
        }
        groups = RelocationEdit.Group.allCases.map { group in
            var score = Score(name: group.rawValue, mode: nil)
            for edit in edits where RelocationEdit(rawValue: edit.name)?.group == group { score.add(edit) }
            return score
        }
        total = Score(name: "all", mode: nil)
        for group in groups { total.add(group) }
    }

    /// The error (none, when right) of `location` for a case: unchanged and moved code must be shown
    /// at its place as current or moved; edited code as changed at its place; deleted code as
    /// outdated or orphaned.
    static func judge(_ location: AnchorLocation, _ scenario: RelocationScenario, path: String) -> Errors {
        var errors = Errors()
        let deleted = location.state == .outdated || location.state == .orphaned
        if scenario.edit.group == .deleted {
            if !deleted { errors.spurious = 1 }
            return errors
        }
        if deleted {
            errors.eliminated = 1
            return errors
        }
        guard location.path == path, location.startLine == scenario.expectedStart, location.endLine == scenario.expectedEnd else {
            errors.wrongLine = 1
            return errors
        }
        let rightState: Bool
        switch scenario.edit.group {
        case .unchanged, .moved: rightState = location.state == .current || location.state == .moved
        case .edited: rightState = location.state == .changed
        case .deleted: rightState = true
        }
        if !rightState { errors.wrongState = 1 }
        return errors
    }
}
