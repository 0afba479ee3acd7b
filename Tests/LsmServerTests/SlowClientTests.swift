import Foundation
import LsmServer
import LsmTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A client that stops reading must not hold up the room or grow the server's memory without end:
/// once `maxQueuedMessages` frames wait behind its full socket buffer it is disconnected.
@Suite struct SlowClientTests {
    @Test func aClientThatStopsReadingIsDisconnectedAndTheOthersCarryOn() async throws {
        var limits = ServerLimits()
        limits.maxQueuedMessages = 20
        limits.burstMessages = 5_000
        limits.messagesPerSecond = 5_000
        let server = try await RunningServer(limits: limits)
        let (sender, _, _) = try await server.connect("Sam")
        let joined = try await server.join("Stella")
        let stella = try require2(joined["member"] as? String)
        let slow = try StalledSocket(port: server.port, token: try require2(joined["accessToken"] as? String))
        defer { slow.close() }
        let arrived = try await sender.next { $0["type"] as? String == "presence" && $0["member"] as? String == stella }
        let connection = try require2(arrived["connection"] as? Int)

        // Given a greeted client that reads nothing more, when the room sends it far more than its
        // socket buffers hold (the sender waits for each acknowledgement, so it keeps up)…
        let text = String(repeating: "a", count: 7_900)
        func isGone(_ frame: [String: Any]) -> Bool {
            frame["type"] as? String == "presence" && frame["connection"] as? Int == connection && frame["state"] as? String == "gone"
        }
        var gone: [String: Any]?
        for index in 0..<1_500 {
            sender.send(["type": "chat", "clientId": "s\(index)", "text": text])
            _ = try await sender.next { frame in
                if isGone(frame) { gone = frame }
                return frame["type"] as? String == "ack" && frame["clientId"] as? String == "s\(index)"
            }
        }

        // …then it is disconnected, and the sender is still served.
        if gone == nil { gone = try await sender.next(timeout: .seconds(30), where: isGone) }
        #expect(gone?["member"] as? String == stella)
        sender.send(["type": "ping"])
        _ = try await sender.next(type: "pong")
        await server.stop()
    }
}

/// A WebSocket that upgrades, says hello, and then never reads: a blocking POSIX socket with a
/// small receive buffer.
private final class StalledSocket: @unchecked Sendable {
    private let descriptor: Int32

    init(port: Int, token: String) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestFailure("socket() failed") }
        var size: Int32 = 4_096
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestFailure("connect() failed") }
        try write(
            Array(
                ("GET /ws?room=main HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Authorization: Bearer \(token)\r\n\r\n").utf8))
        var response: [UInt8] = []
        var byte: UInt8 = 0
        while !response.suffix(4).elementsEqual("\r\n\r\n".utf8) {
            guard recv(descriptor, &byte, 1, 0) == 1 else { throw TestFailure("no upgrade response") }
            response.append(byte)
        }
        guard response.starts(with: "HTTP/1.1 101".utf8) else {
            throw TestFailure("not upgraded: \(String(decoding: response, as: UTF8.self))")
        }
        // A masked client frame (RFC 6455 §5.3), with an all-zero key.
        let hello = Array(#"{"type":"hello","v":1}"#.utf8)
        try write([0x81, 0x80 | UInt8(hello.count), 0, 0, 0, 0] + hello)
    }

    private func write(_ bytes: [UInt8]) throws {
        guard send(descriptor, bytes, bytes.count, 0) == bytes.count else { throw TestFailure("send() failed") }
    }

    func close() { _ = Glibc.close(descriptor) }
}
