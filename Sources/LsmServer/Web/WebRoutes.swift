import Foundation
import HTTPTypes
import Hummingbird
import LsmCore
import LsmStore

/// The browser's side of the server: the UI's static files (at `/`, `/join` and `/ui/*`, every one
/// with a strict Content-Security-Policy) and the read-only JSON it needs beside the WebSocket: the
/// branch head's files, every comment thread (resolved ones too) and the sessions shared into the
/// room. The JSON routes take the same access token as `/api/history`.
struct WebRoutes: Sendable {
    let gate: RequestGate
    let context: RoomContext

    /// Events scanned, newest first, for the sessions shared into a room.
    static let sessionScanLimit = 5_000

    func add(to router: Router<BasicRequestContext>) {
        router.get("/") { request, _ in try page(request) }
        router.get("/join") { request, _ in try page(request) }
        router.get("/ui/{file}") { request, context in
            guard let name = context.parameters.get("file"), let asset = WebAssets.files[name] else {
                throw ServerError(.notFound, "no such file")
            }
            try gate.checkHostAndOrigin(request)
            return Self.response(asset)
        }
        router.get("/api/tree") { request, _ in
            let claims = try await gate.authorize(request)
            return Self.json(try BranchFiles(context: context, branch: claims.room).listing())
        }
        router.get("/api/file") { request, _ in
            let claims = try await gate.authorize(request)
            guard let path = request.uri.queryParameters.get("path") else { throw ServerError(.badRequest, "missing ?path=") }
            return Self.json(try BranchFiles(context: context, branch: claims.room).file(at: path))
        }
        router.get("/api/threads") { request, _ in
            let claims = try await gate.authorize(request)
            return Self.json(["threads": try threads(in: claims.room)])
        }
        router.get("/api/sessions") { request, _ in
            let claims = try await gate.authorize(request)
            return Self.json(text: "{\"sessions\":[" + (try sessions(in: claims.room)).joined(separator: ",") + "]}")
        }
    }

    private func page(_ request: Request) throws -> Response {
        try gate.checkHostAndOrigin(request)
        return Self.response(WebAssets.page)
    }

    private func threads(in room: String) throws(ServerError) -> [CommentBoard.ThreadView] {
        do {
            let repository = try context.openRepository()
            return try context.commentBoard(as: "git", name: "git").threads(path: nil, all: true, revision: room, in: repository)
        } catch { throw ServerError(.internalServerError, "cannot read the comment threads") }
    }

    /// The newest `session` event's frame per shared session, newest first.
    private func sessions(in room: String) throws(ServerError) -> [String] {
        var frames: [String] = []
        var seen = Set<String>()
        var before: Int64?
        var scanned = 0
        while scanned < Self.sessionScanLimit {
            let page: [RoomEvent]
            do { page = try context.store.events(in: room, before: before, limit: 500) } catch {
                throw ServerError(.serviceUnavailable, "the room store failed")
            }
            for event in page.reversed() where event.kind == "session" {
                let id = Self.sessionID(in: event.payload)
                if seen.insert(id ?? "seq\(event.sequence)").inserted { frames.append(WireJSON.eventFrame(event)) }
            }
            scanned += page.count
            guard page.count == 500, let oldest = page.first?.sequence else { break }
            before = oldest
        }
        return frames
    }

    private static func sessionID(in payload: String) -> String? {
        struct Payload: Decodable {
            struct Session: Decodable { var id: String? }
            var session: Session?
        }
        return (try? JSONDecoder().decode(Payload.self, from: Data(payload.utf8)))?.session?.id
    }

    /// Headers every UI response carries: scripts, styles and connections only from this server,
    /// no framing, no sniffing, no referrer (the invite lives in the URL's fragment).
    static func securityHeaders(contentType: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentSecurityPolicy] = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        headers[.cacheControl] = "no-cache"
        for (name, value) in [("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"), ("X-Frame-Options", "DENY")] {
            if let name = HTTPField.Name(name) { headers[name] = value }
        }
        return headers
    }

    static func response(_ asset: WebAssets.Asset) -> Response {
        Response(
            status: .ok, headers: securityHeaders(contentType: asset.contentType), body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }

    static func json(_ value: some Encodable) -> Response { json(text: WireJSON.encode(value)) }

    static func json(text: String) -> Response {
        var headers = securityHeaders(contentType: "application/json")
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
