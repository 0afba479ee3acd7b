/// `health --json` (and the MCP `session_health` tool): which session, and its health.
public struct SessionHealthJSON: Encodable, Sendable {
    public var id: String
    public var agent: String
    public var health: SessionHealth

    public init(_ summary: SessionSummary) {
        id = summary.id
        agent = summary.agent
        health = summary.health
    }
}
