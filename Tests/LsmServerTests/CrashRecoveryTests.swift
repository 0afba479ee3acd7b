import Foundation
import LsmServer
import LsmTestSupport
import Testing

/// The built `lsm`, as a user runs it: `git lsm review` starts the server in the background; a
/// `kill -9` loses nothing that was acknowledged, and clients resume where they were.
@Suite struct CrashRecoveryTests {
    func lsm(_ arguments: [String], in repo: TestRepository) throws -> ProcessResult {
        try ProcessRunner.run(try BuiltLsm.path(), arguments, in: repo.path, environment: repo.environment)
    }

    /// How long a step may take before the test fails. Generous: on a 2-core machine running every
    /// suite at once a debug server can take seconds to start or answer, and a lost message still
    /// fails the test, only later.
    static let patience: Duration = .seconds(60)

    @Test func killDashNineLosesNothingAcknowledged() async throws {
        let repo = try TestRepository()
        try repo.commit("Initial", files: ["a.txt": "a\n"])
        let paths = ServerPaths(commonDirectory: repo.path + "/.git")
        defer { if let record = ServerRecord.running(paths.record) { ServerLauncher.stop(record, paths: paths) } }

        let review = try lsm(["review", "--json", "--uses", "1"], in: repo)
        #expect(review.status == 0, "\(review.stderr)")
        let invite = try require2(try JSONSerialization.jsonObject(with: Data(review.stdout.utf8)) as? [String: Any])
        let link = try require2(invite["link"] as? String)
        let url = try require2(invite["url"] as? String)
        #expect(link.hasPrefix(url + "/join#"))
        #expect(try lsm(["serve", "--status"], in: repo).stdout.hasPrefix("running at \(url)"))
        let port = try require2(Int(url.split(separator: ":").last ?? ""))

        let (status, joined) = try await HTTP.post(url + "/api/join", ["invite": invite["invite"] as? String ?? "", "name": "Ada"])
        #expect(status == 200)
        let token = try require2(joined["accessToken"] as? String)
        let socketURL = "ws://127.0.0.1:\(port)/ws?room=main"
        let socket = TestSocket(url: socketURL, headers: ["Authorization": "Bearer \(token)"])
        _ = try await socket.hello(timeout: Self.patience)
        var acknowledged: [Int: String] = [:]
        for index in 1...30 {
            socket.send(["type": "chat", "clientId": "c\(index)", "text": "message \(index)"])
            let ack = try await socket.next(type: "ack", timeout: Self.patience)
            acknowledged[try require2(ack["seq"] as? Int)] = "message \(index)"
        }

        let record = try require2(ServerRecord.running(paths.record))
        kill(record.pid, SIGKILL)
        _ = try await socket.ending(timeout: Self.patience)
        let killed = ContinuousClock.now
        while record.isAlive {
            guard killed.duration(to: .now) < Self.patience else { throw TestFailure("the server outlived kill -9") }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try lsm(["serve", "--status"], in: repo).stdout == "no server running\n")

        // A second review starts the server again, on the same port, with the same key.
        let again = try lsm(["review", "--json"], in: repo)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(ServerRecord.running(paths.record)?.port == port, "\(Self.tail(of: paths.log))")
        let resumed = TestSocket(url: socketURL, headers: ["Authorization": "Bearer \(token)"])
        _ = try await resumed.hello(lastSeq: 0, timeout: Self.patience)
        _ = try await resumed.next(type: "synced", timeout: Self.patience)
        let chats = resumed.snapshot().filter { $0["type"] as? String == "event" && $0["kind"] as? String == "chat" }
        var replayed: [Int: String] = [:]
        for chat in chats { replayed[chat["seq"] as? Int ?? 0] = (chat["data"] as? [String: Any])?["text"] as? String }
        #expect(replayed == acknowledged)
        #expect(chats.count == acknowledged.count)

        let stop = try lsm(["serve", "--stop"], in: repo)
        #expect(stop.stdout.hasPrefix("stopped the server"))
        #expect(ServerRecord.running(paths.record) == nil)
    }

    /// The end of the server's log, for failure messages.
    static func tail(of log: String) -> String {
        String(((try? String(contentsOfFile: log, encoding: .utf8)) ?? "no log at \(log)").suffix(2000))
    }

    @Test func aNonLoopbackAddressNeedsTLSOrInsecure() throws {
        let repo = try TestRepository()
        try repo.commit("Initial", files: ["a.txt": "a\n"])
        let refused = try lsm(["serve", "--host", "0.0.0.0", "--port", "0"], in: repo)
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("error: refusing to serve plain HTTP on 0.0.0.0"))
        // A PostgreSQL store that cannot be reached is a clear error naming it (without a password).
        let postgres = try lsm(["serve", "--database", "postgres://lsm:secret@127.0.0.1:1/lsm"], in: repo)
        #expect(postgres.status == 1)
        #expect(postgres.stderr.hasPrefix("error: cannot open the room store postgres://lsm@127.0.0.1:1/lsm\ncaused by: connectionError"))
        #expect(!postgres.stderr.contains("secret"))
    }
}

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

enum HTTP {
    static func post(_ url: String, _ body: [String: Any]) async throws -> (Int, [String: Any]) {
        var request = URLRequest(url: try require2(URL(string: url)))
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:])
    }
}
