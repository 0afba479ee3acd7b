import Crypto
import Foundation
import JWTKit

/// The claims of an access token (RFC 7519 §4.1), plus the member's display name and role.
public struct AccessClaims: JWTPayload, Equatable {
    public var iss: IssuerClaim
    /// The room (branch) the token is for.
    public var aud: AudienceClaim
    /// The member id.
    public var sub: SubjectClaim
    public var name: String
    public var role: Role
    public var exp: ExpirationClaim
    public var iat: IssuedAtClaim
    public var jti: IDClaim

    public var room: String { aud.value.first ?? "" }
    public var member: String { sub.value }

    /// Claims are checked by `AccessTokens.verify` against its clock (jwt-kit checks none itself).
    public func verify(using algorithm: some JWTAlgorithm) throws {}
}

/// What a member may do in a room.
public enum Role: String, Codable, Sendable, CaseIterable, Comparable {
    /// Reads, and shows presence and cursors.
    case viewer
    /// Also chats, comments, replies and reacts.
    case commenter
    /// Also resolves threads and shares sessions.
    case admin

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// Signs and verifies access tokens: HS256 only, explicit type `lsm-access+jwt`, and `iss`, `aud`
/// and `exp` checked here (RFC 8725 §3.1, §3.8, §3.9, §3.11).
public struct AccessTokens: Sendable {
    public static let type = "lsm-access+jwt"
    public static let issuer = "lsm"

    let keys: JWTKeyCollection
    let lifetime: TimeInterval
    let now: @Sendable () -> Date

    public init(secret: SymmetricKey, lifetime: TimeInterval, now: @escaping @Sendable () -> Date = { Date() }) async {
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(key: secret), digestAlgorithm: .sha256)
        self.lifetime = lifetime
        self.now = now
    }

    /// A new token for `member` in `room`.
    public func issue(member: String, name: String, role: Role, room: String) async throws -> (token: String, claims: AccessClaims) {
        let issued = now()
        let claims = AccessClaims(
            iss: .init(value: Self.issuer), aud: .init(value: [room]), sub: .init(value: member), name: name, role: role,
            exp: .init(value: issued.addingTimeInterval(lifetime)), iat: .init(value: issued),
            jti: .init(value: Base64URL.encode(Data(SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) }))))
        let token = try await keys.sign(claims, header: ["alg": "HS256", "typ": .string(Self.type)])
        return (token, claims)
    }

    /// The claims of a valid token for `room`; `ServerError.unauthorized` for anything else.
    public func verify(_ token: String, room: String) async throws(ServerError) -> AccessClaims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Base64URL.decode(String(parts[0])),
            let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any],
            header["alg"] as? String == "HS256", header["typ"] as? String == Self.type
        else { throw .unauthorized }
        let claims: AccessClaims
        do { claims = try await keys.verify(token, as: AccessClaims.self) } catch { throw .unauthorized }
        guard claims.iss.value == Self.issuer, claims.aud.value == [room], claims.exp.value > now() else { throw .unauthorized }
        return claims
    }
}
