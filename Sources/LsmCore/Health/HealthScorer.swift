import Foundation

/// Scores a session's health from what its transcript measured. Every component is reported, with
/// its value, its threshold and the points it cost; the weights and their reasons are in docs/health.md.
public struct HealthScorer: Sendable {
    /// What the score is computed from.
    public struct Measurements: Sendable, Equatable {
        public var contextFill: Double?
        public var compactions: Int
        public var toolCalls: Int
        public var toolErrors: Int
        public var apiErrors: Int
        public var interruptions: Int
        public var startedAt: Date?
        public var lastActivityAt: Date?
        /// Fresh input, output and cache writes: the tokens that cost real money and time.
        public var activeTokens: Int
        /// Everything sent as prompts, and the part of it read from the cache.
        public var promptTokens: Int
        public var cacheReadTokens: Int
        /// Whether the agent is running now (idle time only matters then).
        public var live: Bool

        public init(
            contextFill: Double?, compactions: Int, toolCalls: Int, toolErrors: Int, apiErrors: Int, interruptions: Int,
            startedAt: Date?, lastActivityAt: Date?, activeTokens: Int, promptTokens: Int, cacheReadTokens: Int, live: Bool
        ) {
            self.contextFill = contextFill
            self.compactions = compactions
            self.toolCalls = toolCalls
            self.toolErrors = toolErrors
            self.apiErrors = apiErrors
            self.interruptions = interruptions
            self.startedAt = startedAt
            self.lastActivityAt = lastActivityAt
            self.activeTokens = activeTokens
            self.promptTokens = promptTokens
            self.cacheReadTokens = cacheReadTokens
            self.live = live
        }
    }

    public let now: Date

    public init(now: Date) {
        self.now = now
    }

    public func score(_ m: Measurements) -> SessionHealth {
        var components: [SessionHealth.Component] = []

        // Context fill: the strongest signal. Near the window the agent compacts and loses detail.
        let fill = m.contextFill ?? 0
        let fillPenalty = Int((max(0, min(1, fill) - 0.5) / 0.5 * 45).rounded())
        components.append(
            component(
                "contextFill", fill, threshold: 0.8, unit: "fraction", penalty: fillPenalty,
                advice: fill >= 0.9
                    ? "context \(percent(fill)) full — compact now or start a fresh session"
                    : "context \(percent(fill)) full — compact soon, before the agent does it for you"))

        // Each compaction replaces the conversation with a summary; repeated ones mean context rot.
        components.append(
            component(
                "compactions", Double(m.compactions), threshold: 2, unit: "count", penalty: min(24, m.compactions * 8),
                advice: "compacted \(m.compactions) times — early details are gone; start fresh with a written summary"))

        // Failing tools waste turns and tokens; the rate counts once there are a few calls.
        let errorRate = m.toolCalls >= 5 ? Double(m.toolErrors) / Double(m.toolCalls) : 0
        components.append(
            component(
                "toolErrors", errorRate, threshold: 0.2, unit: "fraction", penalty: min(15, Int((errorRate * 60).rounded())),
                advice: "\(m.toolErrors) of \(m.toolCalls) tool calls failed — check the commands and paths the agent uses"))

        components.append(
            component(
                "apiErrors", Double(m.apiErrors), threshold: 3, unit: "count", penalty: min(12, m.apiErrors * 3),
                advice: "\(m.apiErrors) API errors — check rate limits and connectivity"))

        // The user stopping the agent mid-turn means it went somewhere it should not have.
        components.append(
            component(
                "interruptions", Double(m.interruptions), threshold: 3, unit: "count", penalty: min(10, m.interruptions * 2),
                advice: "interrupted \(m.interruptions) times — restate the goal, or start fresh"))

        // A live session idle for an hour has lost its prompt cache: the next turn pays for it all again.
        let idleMinutes = m.lastActivityAt.map { max(0, now.timeIntervalSince($0) / 60) } ?? 0
        components.append(
            component(
                "idle", idleMinutes, threshold: 60, unit: "minutes", penalty: m.live && idleMinutes >= 60 ? 5 : 0,
                advice: "idle for \(duration(idleMinutes)) — the prompt cache has expired; the next message sends the whole context again",
                applies: m.live))

        // Long sessions drift from their goal and accumulate context.
        var hours = 0.0
        if let start = m.startedAt, let end = m.lastActivityAt { hours = max(0, end.timeIntervalSince(start) / 3600) }
        components.append(
            component(
                "duration", hours, threshold: 4, unit: "hours", penalty: hours >= 8 ? 10 : hours >= 4 ? 5 : 0,
                advice: "running for \(duration(hours * 60)) — long sessions drift; consider a fresh start"))

        let minutes = hours * 60
        let burn = minutes >= 1 ? Double(m.activeTokens) / minutes : 0
        components.append(
            component(
                "burnRate", burn, threshold: 5000, unit: "tokens/minute", penalty: burn >= 5000 ? 5 : 0,
                advice: "burning \(Int(burn)) tokens a minute — large files or outputs are being re-read"))

        // Cache reads cost a tenth of fresh input; a low share on a large prompt is money spent twice.
        let efficiency = m.promptTokens > 0 ? Double(m.cacheReadTokens) / Double(m.promptTokens) : 1
        let cachePenalty = m.promptTokens >= 50_000 && efficiency < 0.5 ? min(10, Int(((0.5 - efficiency) * 20).rounded())) : 0
        components.append(
            component(
                "cacheEfficiency", efficiency, threshold: 0.5, unit: "fraction", penalty: cachePenalty,
                advice: "only \(percent(efficiency)) of the prompt came from the cache", below: true))

        let score = max(0, 100 - components.reduce(0) { $0 + $1.penalty })
        var health = SessionHealth(score: score, status: .init(score: score), components: components, recommendation: "")
        health.recommendation = health.worst?.recommendation ?? "healthy — keep going"
        return health
    }

    private func component(
        _ name: String, _ value: Double, threshold: Double, unit: String, penalty: Int, advice: @autoclosure () -> String,
        below: Bool = false, applies: Bool = true
    ) -> SessionHealth.Component {
        let past = applies && (below ? value < threshold : value >= threshold)
        return SessionHealth.Component(
            name: name, value: (value * 1000).rounded() / 1000, threshold: threshold, unit: unit, penalty: penalty,
            recommendation: past || penalty > 0 ? advice() : nil)
    }

    private func percent(_ fraction: Double) -> String {
        fraction.isFinite ? "\(Int((min(max(fraction, 0), 1000) * 100).rounded()))%" : "?%"
    }

    private func duration(_ minutes: Double) -> String {
        guard minutes.isFinite, minutes < 1e9 else { return "a very long time" }
        return minutes >= 120 ? "\(Int(minutes / 60)) h" : "\(Int(minutes)) min"
    }
}
