/// How healthy a session is: a score from 100 down, the measured components that took points off,
/// and what to do about the worst of them. docs/health.md gives the formula and the reasons.
public struct SessionHealth: Sendable, Equatable, Encodable {
    /// The verdict for a score.
    public enum Status: String, Sendable, Equatable, Encodable {
        case healthy
        case warning
        case critical

        /// healthy at 70 and above, warning at 40 and above, critical below.
        init(score: Int) {
            self = score >= 70 ? .healthy : score >= 40 ? .warning : .critical
        }
    }

    /// One measured signal.
    public struct Component: Sendable, Equatable, Encodable {
        /// `contextFill`, `compactions`, `toolErrors`, `apiErrors`, `interruptions`, `idle`, `duration`,
        /// `burnRate` or `cacheEfficiency`.
        public var name: String
        /// The measurement, in the unit `unit` names.
        public var value: Double
        /// Where the signal starts to matter; at or past it the component gets a recommendation.
        public var threshold: Double
        public var unit: String
        /// Points taken off the score.
        public var penalty: Int
        /// What to do, when the value is at or past the threshold.
        public var recommendation: String?

        private enum CodingKeys: String, CodingKey {
            case name, value, threshold, unit, penalty, recommendation
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(value, forKey: .value)
            try container.encode(threshold, forKey: .threshold)
            try container.encode(unit, forKey: .unit)
            try container.encode(penalty, forKey: .penalty)
            try container.encode(recommendation, forKey: .recommendation)
        }
    }

    public var score: Int
    public var status: Status
    public var components: [Component]
    /// The advice for the component that cost the most, or a note that all is well.
    public var recommendation: String

    /// The component that cost the most points, if any cost some.
    public var worst: Component? {
        components.filter { $0.penalty > 0 }.max { $0.penalty < $1.penalty }
    }
}
