import Foundation

/// How `git lsm serve` runs: where it listens, where it keeps its rooms, and its limits.
public struct ServerConfiguration: Sendable {
    /// The address to bind (loopback by default; anything else needs TLS or `insecure`).
    public var host = "127.0.0.1"
    /// The port; 0 picks a free one.
    public var port = 0
    /// The room store: an SQLite file's path, or a `postgres://user@host:port/database` URL.
    public var database: String
    /// PEM certificate chain and private key for TLS, both or neither.
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    /// Serve plain HTTP on a non-loopback address anyway.
    public var insecure = false
    /// Browser origins allowed besides the server's own (exact `scheme://host[:port]` strings).
    public var allowedOrigins: [String] = []
    public var limits = ServerLimits()
    /// Answer each WebSocket message on the room endpoint with the same message instead of joining
    /// the room, after the same checks (Host, Origin, access token) and with the same socket settings:
    /// the echoing peer the Autobahn conformance cases of `make test-conformance` need. Off unless
    /// `git lsm serve --conformance-echo`.
    public var conformanceEcho = false

    public init(database: String) {
        self.database = database
    }

    /// Whether `host` only accepts connections from this machine.
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        // An IPv4 address in 127.0.0.0/8, not a name that happens to start with "127.".
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    public var usesTLS: Bool { tlsCertificatePath != nil }

    /// Refuses settings that would expose the server unprotected.
    public func validate() throws(ServerError) {
        if (tlsCertificatePath == nil) != (tlsKeyPath == nil) {
            throw ServerError.configuration("--tls-cert and --tls-key go together", hint: "pass both, or neither")
        }
        if !Self.isLoopback(host) && !usesTLS && !insecure {
            throw ServerError.configuration(
                "refusing to serve plain HTTP on \(host), which other machines can reach",
                hint: "pass --tls-cert and --tls-key, or --insecure if the network is trusted (an SSH tunnel to 127.0.0.1 is safer)")
        }
        guard (0...65535).contains(port) else {
            throw ServerError.configuration("port \(port) is out of range", hint: "use 1-65535, or 0 for any free port")
        }
    }
}
