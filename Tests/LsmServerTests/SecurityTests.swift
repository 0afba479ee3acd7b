import Crypto
import Foundation
import LsmCore
import LsmServer
import LsmTestSupport
import NIOWebSocket
import Testing

/// The attacks docs/protocol.md promises to refuse: forged, expired and misdirected tokens, invites
/// used as tokens, foreign origins, oversized frames and floods.
@Suite struct SecurityTests {
    static let secret = Data((0..<32).map { UInt8($0 * 7 % 256) })
    static let secretHex = secret.map { String(format: "%02x", $0) }.joined()

    func server(limits: ServerLimits = ServerLimits()) async throws -> RunningServer {
        try await RunningServer(limits: limits, environment: ["LSM_JWT_SECRET": Self.secretHex])
    }

    /// A JWT with this header and claims, signed with `key` by HS256 (or unsigned).
    func forge(header: [String: Any], claims: [String: Any], key: Data?) throws -> String {
        func part(_ object: [String: Any]) throws -> String {
            try JSONSerialization.data(withJSONObject: object).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        let input = try part(header) + "." + part(claims)
        guard let key else { return input + "." }
        let mac = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: key))
        let signature = Data(mac).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return input + "." + signature
    }

    func claims(_ member: String, audience: String = "main", expires: Date = Date().addingTimeInterval(600)) -> [String: Any] {
        [
            "iss": "lsm", "aud": audience, "sub": member, "name": "Mallory", "role": "admin", "exp": expires.timeIntervalSince1970,
            "iat": Date().timeIntervalSince1970, "jti": "x",
        ]
    }

    @Test func forgedExpiredMisdirectedAndInviteTokensAreRefusedWith401() async throws {
        let server = try await server()
        let joined = try await server.join("Ada")
        let member = try require2(joined["member"] as? String)
        let good = try require2(joined["accessToken"] as? String)
        let header: [String: Any] = ["alg": "HS256", "typ": "lsm-access+jwt"]
        // The genuine key, forged claims: proves the other cases fail for the reason named.
        let valid = try forge(header: header, claims: claims(member), key: Self.secret)
        #expect(try await server.get("/ws?room=main", headers: ["Authorization": "Bearer \(valid)"]).0 == 426)
        #expect(try await server.get("/ws?room=main", headers: ["Authorization": "Bearer \(good)"]).0 == 426)

        let (invite, _) = try server.paths.inviteDesk().create(room: "main", role: .admin, lifetime: 3600, uses: 5)
        let attacks: [(String, String)] = [
            ("alg none", try forge(header: ["alg": "none", "typ": "lsm-access+jwt"], claims: claims(member), key: nil)),
            ("alg none, signed", try forge(header: ["alg": "none", "typ": "lsm-access+jwt"], claims: claims(member), key: Self.secret)),
            ("another key", try forge(header: header, claims: claims(member), key: Data(repeating: 9, count: 32))),
            ("expired", try forge(header: header, claims: claims(member, expires: Date().addingTimeInterval(-5)), key: Self.secret)),
            ("another room", try forge(header: header, claims: claims(member, audience: "other"), key: Self.secret)),
            ("untyped", try forge(header: ["alg": "HS256"], claims: claims(member), key: Self.secret)),
            ("unknown member", try forge(header: header, claims: claims("mnobody"), key: Self.secret)),
            ("an invite", invite),
            ("garbage", "not.a.token"),
        ]
        for (name, token) in attacks {
            let (status, _) = try await server.get("/ws?room=main", headers: ["Authorization": "Bearer \(token)"])
            #expect(status == 401, "\(name)")
            let history = try await server.get("/api/history?room=main", headers: ["Authorization": "Bearer \(token)"])
            #expect(history.0 == 401, "\(name)")
            let socket = TestSocket(url: server.webSocketURL, headers: ["Authorization": "Bearer \(token)"])
            guard case .failure = try await socket.ending() else {
                Issue.record("\(name): the WebSocket upgrade succeeded")
                continue
            }
        }
        // The token of one room does not open another.
        #expect(try await server.get("/ws?room=other", headers: ["Authorization": "Bearer \(good)"]).0 == 401)
        #expect(try await server.get("/ws?room=main").0 == 401)
        await server.stop()
    }

    @Test func aForeignOriginIsRefusedWith403() async throws {
        let server = try await server()
        let token = try require2(try await server.join("Ada")["accessToken"] as? String)
        let bearer = "Bearer \(token)"
        #expect(try await server.get("/ws?room=main", headers: ["Authorization": bearer, "Origin": "https://evil.example"]).0 == 403)
        #expect(try await server.get("/ws?room=main", headers: ["Authorization": bearer, "Origin": "null"]).0 == 403)
        #expect(try await server.get("/ws?room=main", headers: ["Authorization": bearer, "Origin": "http://127.0.0.1:1"]).0 == 403)
        #expect(try await server.get("/ws?room=main", headers: ["Authorization": bearer, "Origin": server.url]).0 == 426)
        #expect(try await server.get("/ws?room=main", headers: ["Authorization": bearer, "Host": "evil.example"]).0 == 403)
        let socket = TestSocket(url: server.webSocketURL, headers: ["Authorization": bearer, "Origin": "https://evil.example"])
        guard case .failure = try await socket.ending() else {
            Issue.record("the WebSocket upgrade succeeded from a foreign origin")
            return
        }
        await server.stop()
    }

    @Test func aMebibyteFrameClosesWith1009() async throws {
        let server = try await server()
        let (socket, _, _) = try await server.connect("Ada")
        socket.sendRaw(String(repeating: "x", count: 1 << 20))
        #expect(try await socket.closeCode() == .messageTooLarge)
        await server.stop()
    }

    @Test func aMessageThatIsNotUTF8ClosesWith1007() async throws {
        let server = try await server()
        let (socket, _, _) = try await server.connect("Ada")
        socket.sendFrame(.text, Array("{\"type\":\"ping\"}".utf8) + [0xC0, 0xAF])
        #expect(try await socket.closeCode() == .dataInconsistentWithMessage)
        await server.stop()
    }

    @Test func aMessageOver64KiBInSmallFragmentsClosesWith1009() async throws {
        let server = try await server()
        let (socket, _, _) = try await server.connect("Ada")
        // Each frame is under the frame limit; the message they make is not.
        let fragment = [UInt8](repeating: 0x20, count: 40 * 1024)
        socket.sendFrame(.text, fragment, fin: false)
        socket.sendFrame(.continuation, fragment, fin: true)
        #expect(try await socket.closeCode() == .messageTooLarge)
        await server.stop()
    }

    @Test func aContinuationWithoutAStartClosesWith1002() async throws {
        let server = try await server()
        let (socket, _, _) = try await server.connect("Ada")
        socket.sendFrame(.continuation, Array("{}".utf8), fin: true)
        #expect(try await socket.closeCode() == .protocolError)
        await server.stop()
    }

    @Test func aFloodIsRateLimitedAndTheServerStaysHealthy() async throws {
        var limits = ServerLimits()
        limits.maxRateViolations = 1_000
        let server = try await server(limits: limits)
        let (flooder, _, _) = try await server.connect("Flo")
        let (bystander, _, _) = try await server.connect("Bea")
        for index in 0..<300 { flooder.send(["type": "chat", "clientId": "f\(index)", "text": "spam"]) }
        let limited = try await flooder.next(type: "error")
        #expect(limited["code"] as? String == "rate_limited")
        let acks = flooder.snapshot().filter { $0["type"] as? String == "ack" }.count
        #expect(acks <= limits.burstMessages + 10)
        bystander.send(["type": "ping"])
        _ = try await bystander.next(type: "pong")
        await server.stop()
    }

    @Test func aFloodPastTheLimitClosesWith1008() async throws {
        var limits = ServerLimits()
        limits.maxRateViolations = 50
        let server = try await server(limits: limits)
        let (flooder, _, _) = try await server.connect("Flo")
        for _ in 0..<200 { flooder.send(["type": "ping"]) }
        #expect(try await flooder.closeCode() == .policyViolation)
        await server.stop()
    }

    @Test func revokingAMemberClosesTheirSocketsWith1008AndRefusesTheirTokens() async throws {
        let server = try await server()
        let (socket, welcome, token) = try await server.connect("Eve")
        let member = try require2((welcome["you"] as? [String: Any])?["member"] as? String)
        let revoked = try server.paths.inviteDesk().revoke("Eve")
        #expect(revoked.members == [member])
        #expect(try await socket.closeCode(timeout: .seconds(5)) == .policyViolation)
        #expect(try await server.get("/ws?room=main", headers: ["Authorization": "Bearer \(token)"]).0 == 401)
        await server.stop()
    }

    @Test func anAmbiguousRevokeChangesNothing() async throws {
        let server = try await server()
        let (first, _, _) = try await server.connect("Ann")
        let (second, _, _) = try await server.connect("Ben")
        let desk = try server.paths.inviteDesk()

        // Every member id starts with "m": the prefix fits both, so nobody is revoked
        let error = #expect(throws: LsmError.self) { try desk.revoke("m") }
        #expect(error?.message.contains("fits") == true)
        #expect(try desk.members().allSatisfy { $0.revokedAt == nil })

        // A name names its members only
        #expect(try desk.revoke("Ann").members.count == 1)
        #expect(try await first.closeCode(timeout: .seconds(5)) == .policyViolation)
        #expect(try desk.members().filter { $0.revokedAt == nil }.map(\.name) == ["Ben"])
        second.close()
        await server.stop()
    }

    @Test func onlyLoopbackAddressesCountAsLoopback() {
        for host in ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"] { #expect(ServerConfiguration.isLoopback(host), "\(host)") }
        for host in ["127.example.com", "127.0.0.1.nip.io", "0.0.0.0", "10.0.0.1", "127.0.0.256"] {
            #expect(!ServerConfiguration.isLoopback(host), "\(host)")
        }
    }

    @Test func invitesAreUsedUpAndRefreshTokensRotate() async throws {
        let server = try await server()
        let (invite, _) = try server.paths.inviteDesk().create(room: "main", role: .viewer, lifetime: 3600, uses: 1)
        let (first, joined) = try await server.post("/api/join", ["invite": invite, "name": "Ada"])
        #expect(first == 200)
        #expect(joined["role"] as? String == "viewer")
        #expect(try await server.post("/api/join", ["invite": invite, "name": "Bob"]).0 == 401)
        let refresh = try require2(joined["refreshToken"] as? String)
        let (status, renewed) = try await server.post("/api/refresh", ["refreshToken": refresh])
        #expect(status == 200)
        #expect(renewed["member"] as? String == joined["member"] as? String)
        #expect(try await server.post("/api/refresh", ["refreshToken": refresh]).0 == 401)
        #expect(try await server.post("/api/refresh", ["refreshToken": joined["accessToken"] as? String ?? ""]).0 == 401)
        let (badName, _) = try await server.post("/api/join", ["invite": invite, "name": ""])
        #expect(badName == 400)
        await server.stop()
    }
}
