import Foundation
import LsmStore

/// What the live dashboard shows at one moment: the sessions, and tokens and cost for today and for
/// the last five hours.
public struct DashboardSnapshot: Sendable {
    /// A session with what it spent today.
    public struct Row: Sendable {
        public var session: SessionSummary
        public var tokensToday: Int
        public var costToday: Double?
    }

    /// Tokens and cost over a span; cost is `nil` when a model had no known price.
    public struct Spend: Sendable, Equatable {
        public var tokens: Int
        public var cost: Double?
    }

    public var rows: [Row]
    public var today: Spend
    /// The last five hours. Subscription windows are not observable locally: this is an estimate.
    public var lastFiveHours: Spend
    public var takenAt: Date
}

/// Builds dashboard snapshots from the index.
public struct Dashboard: Sendable {
    public let catalog: SessionCatalog
    /// Which sessions: one repository's (by common dir) or, when `nil`, every one.
    public let repoCommonDir: String?

    public init(catalog: SessionCatalog, repoCommonDir: String?) {
        self.catalog = catalog
        self.repoCommonDir = repoCommonDir
    }

    public func snapshot(calendar: Calendar = .current) throws(LsmError) -> DashboardSnapshot {
        let now = catalog.now
        let sessions = try catalog.sessions(SessionFilter(repoCommonDir: repoCommonDir))
        let chosen = Set(sessions.map { SessionKey.make(AgentKind(rawValue: $0.agent) ?? .claudeCode, $0.id) })
        let startOfDay = calendar.startOfDay(for: now).timeIntervalSince1970
        let fiveHoursAgo = now.timeIntervalSince1970 - 5 * 3600
        let sinceMidnight: [(sessionKey: String, usage: ModelUsage)]
        let recent: [(sessionKey: String, usage: ModelUsage)]
        do {
            sinceMidnight = try catalog.index.usageSince(startOfDay).filter { chosen.contains($0.sessionKey) }
            recent = try catalog.index.usageSince(fiveHoursAgo).filter { chosen.contains($0.sessionKey) }
        } catch {
            throw LsmError.wrapping(error)
        }
        var perSession: [String: DashboardSnapshot.Spend] = [:]
        for (key, usage) in sinceMidnight {
            let spend = spend(of: [usage])
            let current = perSession[key] ?? DashboardSnapshot.Spend(tokens: 0, cost: 0)
            perSession[key] = DashboardSnapshot.Spend(
                tokens: current.tokens + spend.tokens, cost: current.cost.flatMap { a in spend.cost.map { a + $0 } })
        }
        // Live sessions first, then the most recently active.
        let ordered = sessions.filter(\.live) + sessions.filter { !$0.live }
        let rows = ordered.map { session -> DashboardSnapshot.Row in
            let key = SessionKey.make(AgentKind(rawValue: session.agent) ?? .claudeCode, session.id)
            let today = perSession[key]
            return .init(session: session, tokensToday: today?.tokens ?? 0, costToday: today?.cost ?? 0)
        }
        return DashboardSnapshot(
            rows: rows, today: spend(of: sinceMidnight.map(\.usage)), lastFiveHours: spend(of: recent.map(\.usage)), takenAt: now)
    }

    private func spend(of groups: [ModelUsage]) -> DashboardSnapshot.Spend {
        var tokens = 0
        var cost: Double? = 0
        for group in groups {
            tokens += group.tokens.total
            let groupCost = group.cost(with: catalog.prices.price(for: group.model))
            cost = cost.flatMap { sum in groupCost.map { sum + $0 } }
        }
        return DashboardSnapshot.Spend(tokens: tokens, cost: cost)
    }
}
