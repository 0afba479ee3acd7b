import Foundation
import LsmCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// How a command on this machine (`git lsm share`) gets into a room as admin: it mints a one-use
/// admin invite that lives a minute, straight in the room store under the common dir (only whoever
/// may write the repository's `.git` can), and redeems it over HTTP like a browser. The invite
/// never leaves the process; the server hands back an ordinary 15-minute access token and a
/// refresh token, and the member shows in `git lsm review --list` and can be revoked.
public struct RoomCredential: Sendable {
    public var accessToken: String
    public var refreshToken: String
    public var member: String
    public var room: String

    /// How long the minted invite is valid: long enough for one POST.
    static let inviteLifetime: TimeInterval = 60

    /// Mints an admin invite to `room` and redeems it at `serverURL` as `name`.
    public static func mint(paths: ServerPaths, serverURL: String, room: String, name: String) async throws(LsmError) -> RoomCredential {
        let (invite, _) = try paths.inviteDesk().create(room: room, role: .admin, lifetime: inviteLifetime, uses: 1)
        let body = try await post(serverURL + "/api/join", ["invite": invite, "name": name])
        return try credential(from: body, refreshed: false)
    }

    /// Swaps the refresh token for a new access token (and a new refresh token).
    public func refreshed(serverURL: String) async throws(LsmError) -> RoomCredential {
        let body = try await Self.post(serverURL + "/api/refresh", ["refreshToken": refreshToken])
        return try Self.credential(from: body, refreshed: true)
    }

    private static func credential(from body: [String: Any], refreshed: Bool) throws(LsmError) -> RoomCredential {
        guard let access = body["accessToken"] as? String, let refresh = body["refreshToken"] as? String,
            let member = body["member"] as? String, let room = body["room"] as? String
        else { throw LsmError(.internal, "the server's token response is not what lsm expects") }
        return RoomCredential(accessToken: access, refreshToken: refresh, member: member, room: room)
    }

    private static func post(_ url: String, _ object: [String: String]) async throws(LsmError) -> [String: Any] {
        guard let address = URL(string: url) else { throw LsmError(.internal, "bad server URL \(url)") }
        var request = URLRequest(url: address)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.timeoutInterval = 10
        let data: Data
        let status: Int
        do {
            request.httpBody = try JSONSerialization.data(withJSONObject: object)
            let (body, response) = try await URLSession.shared.data(for: request)
            data = body
            status = (response as? HTTPURLResponse)?.statusCode ?? 0
        } catch {
            throw LsmError(.user, "cannot reach the review server at \(url)", hint: "git lsm serve --status", cause: "\(error)")
        }
        let body = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        guard status == 200 else {
            throw LsmError(
                .user, "the review server refused to let lsm in (\(status))",
                cause: body["error"].map { "\($0)" } ?? String(decoding: data, as: UTF8.self))
        }
        return body
    }
}
