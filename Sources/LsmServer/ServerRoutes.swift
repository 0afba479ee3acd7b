import Foundation
import HTTPTypes
import Hummingbird
import Logging
import LsmStore

/// The HTTP side: joining with an invite, refreshing a token, paging history, and health. The
/// browser UI and its routes are in `Web/`.
struct ServerRoutes: Sendable {
    let gate: RequestGate
    let desk: InviteDesk
    let tokens: AccessTokens
    let store: any RoomStore
    let limits: ServerLimits
    let logger: Logger

    struct JoinRequest: Decodable {
        var invite: String
        var name: String
    }

    struct RefreshRequest: Decodable {
        var refreshToken: String
    }

    struct TokenResponse: Encodable {
        var accessToken: String
        var refreshToken: String
        var tokenType = "Bearer"
        var expiresIn: Int
        var room: String
        var member: String
        var name: String
        var role: Role
    }

    func add(to router: Router<BasicRequestContext>) {
        router.get("/healthz") { _, _ in "ok\n" }
        router.post("/api/join") { request, context in try await join(request, context: context) }
        router.post("/api/refresh") { request, context in try await refresh(request, context: context) }
        router.get("/api/history") { request, _ in try await history(request) }
        // A plain GET of the WebSocket path: the same checks, then "use a WebSocket".
        router.get("/ws") { request, _ -> Response in
            _ = try await gate.authorize(request)
            return Response(status: .upgradeRequired)
        }
    }

    private func join(_ request: Request, context: BasicRequestContext) async throws -> Response {
        try gate.checkHostAndOrigin(request)
        let body: JoinRequest
        do { body = try await request.decode(as: JoinRequest.self, context: context) } catch {
            throw ServerError(.badRequest, "expected {\"invite\": …, \"name\": …}")
        }
        let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= limits.maxNameCharacters,
            !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw ServerError(.badRequest, "a name has 1 to \(limits.maxNameCharacters) characters") }
        let redeemed: (member: MemberRecord, refreshToken: String)?
        do { redeemed = try desk.redeem(token: body.invite, name: name) } catch {
            throw ServerError(.serviceUnavailable, "the room store failed")
        }
        guard let redeemed else {
            logger.notice("join refused: invalid, expired, revoked or used-up invite")
            throw ServerError(.unauthorized, "invalid, expired or used-up invite")
        }
        logger.info("joined member=\(redeemed.member.id) room=\(redeemed.member.room)")
        return try await tokenResponse(redeemed.member, refreshToken: redeemed.refreshToken)
    }

    private func refresh(_ request: Request, context: BasicRequestContext) async throws -> Response {
        try gate.checkHostAndOrigin(request)
        let body: RefreshRequest
        do { body = try await request.decode(as: RefreshRequest.self, context: context) } catch {
            throw ServerError(.badRequest, "expected {\"refreshToken\": …}")
        }
        let refreshed: (member: MemberRecord, refreshToken: String)?
        do { refreshed = try desk.refresh(token: body.refreshToken) } catch {
            throw ServerError(.serviceUnavailable, "the room store failed")
        }
        guard let refreshed else { throw ServerError(.unauthorized, "invalid refresh token") }
        return try await tokenResponse(refreshed.member, refreshToken: refreshed.refreshToken)
    }

    private func tokenResponse(_ member: MemberRecord, refreshToken: String) async throws -> Response {
        let role = Role(rawValue: member.role) ?? .viewer
        let issued = try await tokens.issue(member: member.id, name: member.name, role: role, room: member.room)
        return json(
            WireJSON.encode(
                TokenResponse(
                    accessToken: issued.token, refreshToken: refreshToken, expiresIn: Int(limits.accessTokenLifetime), room: member.room,
                    member: member.id, name: member.name, role: role)))
    }

    /// `GET /api/history?room=R[&before=SEQ][&after=SEQ][&limit=N]`: events oldest first.
    private func history(_ request: Request) async throws -> Response {
        let claims = try await gate.authorize(request)
        let query = request.uri.queryParameters
        let limit = min(max(Int(query.get("limit") ?? "") ?? 100, 1), limits.maxHistoryPage)
        let events: [RoomEvent]
        do {
            if let after = query.get("after").flatMap({ Int64($0) }) {
                events = try store.events(in: claims.room, after: after, limit: limit)
            } else {
                events = try store.events(in: claims.room, before: query.get("before").flatMap { Int64($0) }, limit: limit)
            }
        } catch { throw ServerError(.serviceUnavailable, "the room store failed") }
        return json("{\"events\":[" + events.map(WireJSON.eventFrame).joined(separator: ",") + "]}")
    }

    private func json(_ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
