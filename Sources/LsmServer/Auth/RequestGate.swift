import Foundation
import Hummingbird
import LsmStore

/// Decides who may open a room's WebSocket or read its history: the `Host` (DNS rebinding) and
/// `Origin` (cross-site WebSocket hijacking) of the request, then a valid access token for the room
/// of a member who was not revoked. Used before the upgrade and by the plain HTTP routes alike.
struct RequestGate: Sendable {
    let tokens: AccessTokens
    let store: any RoomStore
    let origins: ServerOrigins

    /// The subprotocol a browser names, beside `lsm.bearer.<token>` (browsers cannot set headers on
    /// a WebSocket).
    static let subprotocol = "lsm.v1"

    func authorize(_ request: Request) async throws(ServerError) -> AccessClaims {
        try checkHostAndOrigin(request)
        guard let room = request.uri.queryParameters.get("room"), !room.isEmpty else {
            throw ServerError(.badRequest, "missing ?room=<branch>")
        }
        guard let token = Self.token(in: request) else { throw ServerError.unauthorized }
        let claims = try await tokens.verify(token, room: room)
        let member: MemberRecord?
        do { member = try store.member(id: claims.member) } catch { throw ServerError(.serviceUnavailable, "the room store failed") }
        guard let member, member.revokedAt == nil else { throw ServerError.unauthorized }
        return claims
    }

    func checkHostAndOrigin(_ request: Request) throws(ServerError) {
        if let host = request.head.authority, !origins.allows(host: host) {
            throw ServerError(.forbidden, "unexpected Host header")
        }
        for origin in request.headers[values: .origin] where !origins.allows(origin: origin) {
            throw ServerError(.forbidden, "origin not allowed")
        }
    }

    /// The bearer token of `Authorization`, else of `Sec-WebSocket-Protocol: lsm.v1, lsm.bearer.<token>`.
    static func token(in request: Request) -> String? {
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            return String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        }
        for value in request.headers[values: .secWebSocketProtocol] {
            for item in value.split(separator: ",") {
                let item = item.trimmingCharacters(in: .whitespaces)
                if item.hasPrefix("lsm.bearer.") { return String(item.dropFirst("lsm.bearer.".count)) }
            }
        }
        return nil
    }

    /// Headers for the upgrade response: the chosen subprotocol when the client offered it.
    static func upgradeHeaders(for request: Request) -> HTTPFields {
        var headers = HTTPFields()
        let offered = request.headers[values: .secWebSocketProtocol].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if offered.contains(subprotocol) { headers[.secWebSocketProtocol] = subprotocol }
        return headers
    }
}

/// The server's own origins (known once the port is), plus the configured allowlist; exact matches
/// only.
final class ServerOrigins: @unchecked Sendable {
    private let host: String
    private let scheme: String
    private let allowlist: Set<String>
    private let lock = NSLock()
    private var port = 0

    init(host: String, tls: Bool, allowlist: [String]) {
        self.host = host
        self.scheme = tls ? "https" : "http"
        self.allowlist = Set(allowlist.map { $0.lowercased() })
    }

    func setPort(_ port: Int) {
        lock.lock()
        self.port = port
        lock.unlock()
    }

    private var names: [String] {
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return ServerConfiguration.isLoopback(host) ? [bracketed, "127.0.0.1", "localhost", "[::1]"] : [bracketed]
    }

    /// Browsers send the page's origin, always http or https; `ws://` and `wss://` origins come
    /// from programs (hummingbird-websocket's client sends `ws://<host>`), which could send anything
    /// anyway, so the server's own names are accepted with those schemes too.
    func allows(origin: String) -> Bool {
        lock.lock()
        let port = self.port
        lock.unlock()
        let origin = origin.lowercased()
        if allowlist.contains(origin) || names.contains(where: { origin == "\(scheme)://\($0):\(port)" }) { return true }
        let socketScheme = scheme == "https" ? "wss" : "ws"
        return names.contains { origin == "\(socketScheme)://\($0)" || origin == "\(socketScheme)://\($0):\(port)" }
    }

    /// On a loopback address only loopback names may appear in `Host`, so a page on a rebound DNS
    /// name cannot reach the server. Elsewhere the public name is not known and any is accepted.
    func allows(host authority: String) -> Bool {
        guard ServerConfiguration.isLoopback(host) else { return true }
        lock.lock()
        let port = self.port
        lock.unlock()
        let authority = authority.lowercased()
        return names.contains { authority == $0 || authority == "\($0):\(port)" }
    }
}
