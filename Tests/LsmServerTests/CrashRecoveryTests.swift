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
        _ = try await socket.hello()
        var acknowledged: [Int: String] = [:]
        for index in 1...30 {
            socket.send(["type": "chat", "clientId": "c\(index)", "text": "message \(index)"])
            let ack = try await socket.next(type: "ack")
            acknowledged[try require2(ack["seq"] as? Int)] = "message \(index)"
        }

        let record = try require2(ServerRecord.running(paths.record))
        kill(record.pid, SIGKILL)
        _ = try await socket.ending()
        while record.isAlive { try await Task.sleep(for: .milliseconds(20)) }
        #expect(try lsm(["serve", "--status"], in: repo).stdout == "no server running\n")

        // A second review starts the server again, on the same port, with the same key.
        let again = try lsm(["review", "--json"], in: repo)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(ServerRecord.running(paths.record)?.port == port)
        let resumed = TestSocket(url: socketURL, headers: ["Authorization": "Bearer \(token)"])
        _ = try await resumed.hello(lastSeq: 0)
        _ = try await resumed.next(type: "synced")
        let chats = resumed.snapshot().filter { $0["type"] as? String == "event" && $0["kind"] as? String == "chat" }
        var replayed: [Int: String] = [:]
        for chat in chats { replayed[chat["seq"] as? Int ?? 0] = (chat["data"] as? [String: Any])?["text"] as? String }
        #expect(replayed == acknowledged)
        #expect(chats.count == acknowledged.count)

        let stop = try lsm(["serve", "--stop"], in: repo)
        #expect(stop.stdout.hasPrefix("stopped the server"))
        #expect(ServerRecord.running(paths.record) == nil)
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
