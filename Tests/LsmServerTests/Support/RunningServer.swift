import Foundation
import LsmServer
import LsmTestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A review server running in this process on a free loopback port, over a fresh test repository.
final class RunningServer: @unchecked Sendable {
    let repo: TestRepository
    let paths: ServerPaths
    let server: ReviewServer
    let port: Int
    private let task: Task<Void, any Error>

    var url: String { "http://127.0.0.1:\(port)" }
    var webSocketURL: String { "ws://127.0.0.1:\(port)/ws?room=main" }

    /// A server on `database` (default: the repository's SQLite file). With `sibling`, a second node
    /// of the same repository and signing key, as several `git lsm serve` on one PostgreSQL.
    init(
        limits: ServerLimits = ServerLimits(), environment extra: [String: String] = [:], database: String? = nil,
        sibling: RunningServer? = nil
    ) async throws {
        if let sibling {
            repo = sibling.repo
        } else {
            repo = try TestRepository()
            try repo.commit(
                "Initial", files: ["src/auth.py": "import jwt\n\ndef check(token):\n    claims = jwt.decode(token)\n    return claims\n"])
        }
        paths = ServerPaths(commonDirectory: repo.path + "/.git")
        var configuration = ServerConfiguration(database: database ?? paths.database)
        configuration.limits = limits
        server = try await ReviewServer(
            configuration: configuration, repositoryPath: repo.path, secretFile: paths.secret,
            environment: repo.environment.merging(extra) { _, new in new })
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = self.server
        task = Task { try await server.run(handleSignals: false) { port in continuation.yield(port) } }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestFailure("the server did not start") }
        self.port = port
    }

    deinit { task.cancel() }

    func stop() async {
        task.cancel()
        _ = await task.result
    }

    /// Creates an invite and redeems it as `name`; returns the token response.
    func join(_ name: String, role: Role = .commenter, room: String = "main") async throws -> [String: Any] {
        let (invite, _) = try server.invites.create(room: room, role: role, lifetime: 3600, uses: 1)
        let (status, body) = try await post("/api/join", ["invite": invite, "name": name])
        guard status == 200 else { throw TestFailure("join failed: \(status) \(body)") }
        return body
    }

    /// Joins as `name` and opens a WebSocket, said hello: returns the socket and the welcome.
    func connect(_ name: String, role: Role = .commenter) async throws -> (socket: TestSocket, welcome: [String: Any], token: String) {
        let joined = try await join(name, role: role)
        let token = try require2(joined["accessToken"] as? String)
        let socket = TestSocket(url: webSocketURL, headers: ["Authorization": "Bearer \(token)"])
        let welcome = try await socket.hello()
        return (socket, welcome, token)
    }

    func post(_ path: String, _ body: [String: Any], headers: [String: String] = [:]) async throws -> (Int, [String: Any]) {
        var request = URLRequest(url: try require2(URL(string: url + path)))
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let object = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, object)
    }

    func getWithHeaders(_ path: String) async throws -> (Int, [String: String], Data) {
        let (data, response) = try await URLSession.shared.data(for: URLRequest(url: try require2(URL(string: url + path))))
        let http = response as? HTTPURLResponse
        var headers: [String: String] = [:]
        for (name, value) in http?.allHeaderFields ?? [:] { headers["\(name)"] = "\(value)" }
        return (http?.statusCode ?? 0, headers, data)
    }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> (Int, Data) {
        var request = URLRequest(url: try require2(URL(string: url + path)))
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }
}

/// `value`, or a failure naming what was missing.
func require2<T>(_ value: T?, _ what: String = "value") throws -> T {
    guard let value else { throw TestFailure("missing \(what)") }
    return value
}
