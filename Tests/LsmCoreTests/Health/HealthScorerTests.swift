import Foundation
import LsmCore
import Testing

@Suite struct HealthScorerTests {
    static let now = Date(timeIntervalSince1970: 1_767_225_600)

    static func measurements(
        fill: Double? = 0.3, compactions: Int = 0, toolCalls: Int = 0, toolErrors: Int = 0, apiErrors: Int = 0, interruptions: Int = 0,
        hours: Double = 1, idleMinutes: Double = 1, activeTokens: Int = 10_000, prompt: Int = 100_000, cacheRead: Int = 90_000,
        live: Bool = true
    ) -> HealthScorer.Measurements {
        let last = now.addingTimeInterval(-idleMinutes * 60)
        return .init(
            contextFill: fill, compactions: compactions, toolCalls: toolCalls, toolErrors: toolErrors, apiErrors: apiErrors,
            interruptions: interruptions, startedAt: last.addingTimeInterval(-hours * 3600), lastActivityAt: last,
            activeTokens: activeTokens,
            promptTokens: prompt, cacheReadTokens: cacheRead, live: live)
    }

    /// Sessions with known components and the score and status they must get (docs/health.md).
    @Test(arguments: [
        (measurements(), 100, SessionHealth.Status.healthy),
        (measurements(fill: 0.8), 73, .healthy),
        (measurements(fill: 0.9), 64, .warning),
        (measurements(fill: 1.0, compactions: 3), 31, .critical),
        (measurements(compactions: 1, toolCalls: 40, toolErrors: 10), 77, .healthy),
        (measurements(apiErrors: 5, interruptions: 6), 78, .healthy),
        (measurements(hours: 9), 90, .healthy),
        (measurements(idleMinutes: 90), 95, .healthy),
        (measurements(idleMinutes: 90, live: false), 100, .healthy),
        (measurements(prompt: 200_000, cacheRead: 20_000), 92, .healthy),
        (measurements(fill: 0.96, compactions: 2, toolCalls: 20, toolErrors: 8, apiErrors: 4), 16, .critical),
    ])
    func scoresKnownSessions(measurements: HealthScorer.Measurements, score: Int, status: SessionHealth.Status) {
        let health = HealthScorer(now: Self.now).score(measurements)

        #expect(health.score == score)
        #expect(health.status == status)
        #expect(health.score == max(0, 100 - health.components.reduce(0) { $0 + $1.penalty }))
    }

    @Test func reportsEveryComponentWithValueThresholdAndPenalty() {
        let health = HealthScorer(now: Self.now).score(Self.measurements(fill: 0.91))

        #expect(
            health.components.map(\.name) == [
                "contextFill", "compactions", "toolErrors", "apiErrors", "interruptions", "idle", "duration", "burnRate", "cacheEfficiency",
            ])
        let fill = health.components[0]
        #expect(fill.value == 0.91)
        #expect(fill.threshold == 0.8)
        #expect(fill.penalty == 37)
        #expect(fill.recommendation == "context 91% full — compact now or start a fresh session")
        #expect(health.recommendation == fill.recommendation)
    }

    @Test func toolErrorRateWaitsForAFewCalls() {
        let few = HealthScorer(now: Self.now).score(Self.measurements(toolCalls: 3, toolErrors: 3))
        let many = HealthScorer(now: Self.now).score(Self.measurements(toolCalls: 20, toolErrors: 12))

        #expect(few.components[2].penalty == 0)
        #expect(many.components[2].penalty == 15)
        #expect(many.components[2].recommendation == "12 of 20 tool calls failed — check the commands and paths the agent uses")
    }

    @Test func healthySessionSaysSo() {
        let health = HealthScorer(now: Self.now).score(Self.measurements())

        #expect(health.recommendation == "healthy — keep going")
        #expect(health.components.allSatisfy { $0.recommendation == nil })
    }
}
