import Foundation

/// Every limit the review server enforces, in one place; docs/protocol.md lists the defaults.
public struct ServerLimits: Sendable, Equatable {
    /// The largest WebSocket frame (and message) a client may send; bigger ones close the
    /// connection with 1009.
    public var maxFrameBytes = 64 * 1024
    /// The longest chat message, in characters.
    public var maxChatCharacters = 8_000
    /// The longest comment or reply, in characters.
    public var maxCommentCharacters = 16_000
    /// The longest display name, in characters.
    public var maxNameCharacters = 64
    /// Messages a connection may send in a burst (a token bucket's capacity)…
    public var burstMessages = 40
    /// …and per second after it (the bucket's refill rate).
    public var messagesPerSecond = 10.0
    /// A connection that keeps sending past its limit this many times is closed with 1008.
    public var maxRateViolations = 200
    /// Cursor moves broadcast per connection per second; faster ones are dropped (only the newest
    /// position matters).
    public var cursorsPerSecond = 10.0
    /// How often the server pings each socket; a socket that does not answer is closed.
    public var pingInterval: Duration = .seconds(30)
    /// A connection that sends nothing (not even a heartbeat) for this long is closed with 1001.
    public var idleTimeout: Duration = .seconds(120)
    /// Presence turns `idle` after this long without activity (chat, cursor, typing).
    public var idleAfter: Duration = .seconds(60)
    /// How long a connection may take to say hello.
    public var helloTimeout: Duration = .seconds(10)
    /// Events replayed on hello; a client further behind pages the rest through HTTP.
    public var maxReplayEvents = 1_000
    /// Recent events sent to a client that has none.
    public var recentHistory = 50
    /// The largest page of `GET /api/history`.
    public var maxHistoryPage = 500
    /// Frames queued for one slow client, once its socket's write buffer is full, before its
    /// connection is dropped.
    public var maxQueuedMessages = 4_096
    /// Lifetime of an access token.
    public var accessTokenLifetime: TimeInterval = 15 * 60
    /// Open WebSocket connections per member.
    public var maxConnectionsPerMember = 16
    /// How often comment refs and revocations are checked.
    public var pollInterval: Duration = .milliseconds(500)

    public init() {}
}
