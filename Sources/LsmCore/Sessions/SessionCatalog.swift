import Foundation
import LsmStore

/// Answers questions about indexed sessions: which ran here, what they cost, how full they are.
public struct SessionCatalog: Sendable {
    /// A session with activity this recent counts as live even without a matching process.
    static let recentActivity: TimeInterval = 60

    public let index: IndexDatabase
    public let prices: PriceTable
    /// The time health and liveness are judged at.
    public let now: Date
    public let processes: LiveProcesses

    public init(index: IndexDatabase, prices: PriceTable, now: Date, processes: LiveProcesses) {
        self.index = index
        self.prices = prices
        self.now = now
        self.processes = processes
    }

    /// Sessions matching `filter`, most recently active first.
    public func sessions(_ filter: SessionFilter) throws(LsmError) -> [SessionSummary] {
        do {
            var prices = PriceCache(table: self.prices)
            let records = try index.sessions(matching: filter)
            let live = liveKeys(records)
            return records.map { summary($0, live: live.contains($0.key), prices: &prices) }
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    /// The one session whose id (or `agent:id`) starts with `prefix`.
    public func session(matching prefix: String) throws(LsmError) -> (SessionSummary, SessionDetail) {
        let trimmed = prefix.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw LsmError(.user, "empty session id", hint: "pass a session id or a unique prefix of one") }
        do {
            var matches = try index.sessions(matching: SessionFilter(idPrefix: trimmed))
            if matches.isEmpty { matches = try index.sessions(matching: SessionFilter(keyPrefix: trimmed)) }
            guard let first = matches.first else {
                throw LsmError(.user, "no session matches '\(trimmed)'", hint: "git lsm list --all shows every session")
            }
            guard matches.count == 1 else {
                let examples = matches.prefix(5).map(\.id).joined(separator: ", ")
                throw LsmError(.user, "'\(trimmed)' matches \(matches.count) sessions: \(examples)", hint: "type more of the id")
            }
            let siblings = try index.sessions(matching: SessionFilter(agent: first.agent)).filter { $0.cwd == first.cwd }
            var prices = PriceCache(table: self.prices)
            let summary = summary(first, live: liveKeys(siblings).contains(first.key), prices: &prices)
            return (summary, try index.sessionDetail(key: first.key))
        } catch let error as LsmError {
            throw error
        } catch {
            throw LsmError.wrapping(error)
        }
    }

    /// Sessions running now: active in the last minute, or the most recent session of an agent
    /// process running in the session's directory.
    func liveKeys(_ records: [SessionRecord]) -> Set<String> {
        var live = Set<String>()
        var newest: [LiveProcesses.Agent: SessionRecord] = [:]
        for record in records {
            if let last = record.lastActivityAt, now.timeIntervalSince1970 - last <= Self.recentActivity { live.insert(record.key) }
            guard let cwd = record.cwd, processes.isRunning(agent: record.agent, in: cwd) else { continue }
            let slot = LiveProcesses.Agent(agent: record.agent, cwd: cwd)
            if (newest[slot]?.lastActivityAt ?? -.infinity) < (record.lastActivityAt ?? 0) { newest[slot] = record }
        }
        live.formUnion(newest.values.map(\.key))
        return live
    }

    /// Looks up each model's price once, however many sessions used it.
    struct PriceCache {
        let table: PriceTable
        private var found: [String: ModelPrice?] = [:]

        init(table: PriceTable) {
            self.table = table
        }

        mutating func price(for model: String) -> ModelPrice? {
            if let known = found[model] { return known }
            let price = table.price(for: model)
            found[model] = price
            return price
        }
    }

    func summary(_ record: SessionRecord, live: Bool, prices: inout PriceCache) -> SessionSummary {
        var total = TokenUsage.zero
        var cost: Double? = 0
        var unpriced = Set<String>()
        var perModel: [String: (calls: Int, usage: TokenUsage, cost: Double?)] = [:]
        var calls = 0
        for group in record.usage {
            let usage = group.tokens
            total += usage
            calls += group.calls
            let groupCost = group.cost(with: prices.price(for: group.model))
            if groupCost == nil { unpriced.insert(group.model) }
            cost = cost.flatMap { sum in groupCost.map { sum + $0 } }
            var entry = perModel[group.model] ?? (0, .zero, 0)
            entry.calls += group.calls
            entry.usage += usage
            entry.cost = entry.cost.flatMap { sum in groupCost.map { sum + $0 } }
            perModel[group.model] = entry
        }
        let model = record.lastCall?.model ?? perModel.max { $0.value.calls < $1.value.calls }?.key ?? record.reportedModel
        let window = contextWindow(record, prices: &prices)
        let contextTokens = record.lastCall?.promptTokens ?? record.reportedContextTokens
        let fill: Double? = contextTokens.flatMap { tokens in window.flatMap { $0 > 0 ? Double(tokens) / Double($0) : nil } }
        // Agents that record no billed usage (Cursor, some Copilot sessions) get nulls, never zeros.
        let usageKnown = calls > 0 || AgentKind(rawValue: record.agent)?.recordsUsage != false
        let health = HealthScorer(now: now).score(
            .init(
                contextFill: fill, compactions: record.compactions, toolCalls: record.toolCalls, toolErrors: record.toolErrors,
                apiErrors: record.apiErrors, interruptions: record.interruptions,
                startedAt: record.startedAt.map(Date.init(timeIntervalSince1970:)),
                lastActivityAt: record.lastActivityAt.map(Date.init(timeIntervalSince1970:)),
                activeTokens: total.input + total.output + total.cacheWrite, promptTokens: total.prompt, cacheReadTokens: total.cacheRead,
                live: live))
        return SessionSummary(
            id: record.id, agent: record.agent, cwd: record.cwd, repo: record.repoWorkDir, branch: record.branch, model: model,
            title: record.title, agentVersion: record.agentVersion, startedAt: record.startedAt.map(Date.init(timeIntervalSince1970:)),
            lastActivityAt: record.lastActivityAt.map(Date.init(timeIntervalSince1970:)), usage: usageKnown ? .init(total) : nil,
            costUSD: usageKnown ? cost : nil, calls: calls,
            contextFill: fill, contextTokens: contextTokens, contextWindow: window, compactions: record.compactions,
            unpricedModels: unpriced.sorted(),
            models: perModel.sorted { $0.key < $1.key }.map { name, entry in
                ModelSummary(model: name, calls: entry.calls, usage: .init(entry.usage), costUSD: entry.cost)
            }, live: live, health: health, toolCalls: record.toolCalls, toolErrors: record.toolErrors, apiErrors: record.apiErrors,
            interruptions: record.interruptions)
    }

    /// The window the last call ran in: as the agent reported it, else from the price table (the
    /// long-context variant when the prompt was larger than the standard window), else Claude's
    /// default of 200,000 tokens.
    /// A window of 0 or less (a corrupt record or price file) counts as unknown.
    private func contextWindow(_ record: SessionRecord, prices: inout PriceCache) -> Int? {
        guard let window = reportedOrPricedWindow(record, prices: &prices), window > 0 else { return nil }
        return window
    }

    private func reportedOrPricedWindow(_ record: SessionRecord, prices: inout PriceCache) -> Int? {
        guard let last = record.lastCall else { return record.reportedContextWindow }
        if let reported = last.contextWindow { return reported }
        if let price = prices.price(for: last.model), let window = price.contextWindow {
            if last.promptTokens > window, let large = price.largeContextWindow { return large }
            return window
        }
        return record.agent == AgentKind.claudeCode.rawValue ? 200_000 : nil
    }
}
