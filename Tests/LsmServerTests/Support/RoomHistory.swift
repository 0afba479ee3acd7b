import Foundation
import LsmTestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A room's events over HTTP (`GET /api/history`), as a client pages what a truncated replay left out.
enum RoomHistory {
    /// Events after `after` and before `before`, from the node on `port`.
    static func events(port: Int, after: Int64, before: Int64 = .max, token: String) async throws -> [[String: Any]] {
        var events: [[String: Any]] = []
        var cursor = after
        while cursor + 1 < before {
            var request = URLRequest(
                url: try require2(URL(string: "http://127.0.0.1:\(port)/api/history?room=main&after=\(cursor)&limit=500")))
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            let (data, response) = try await URLSession.shared.data(for: request)
            guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw TestFailure("history: \(response)") }
            let page = try require2((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["events"] as? [[String: Any]])
            let wanted = page.filter { (($0["seq"] as? Int).map(Int64.init) ?? 0) < before }
            events += wanted
            guard page.count == 500, wanted.count == page.count, let last = (page.last?["seq"] as? Int).map(Int64.init) else { break }
            cursor = last
        }
        return events
    }

    /// Every event of the room `main`, in order.
    static func all(port: Int, token: String) async throws -> [SeenEvent] {
        try await events(port: port, after: 0, token: token).map { frame in
            SeenEvent(
                seq: (frame["seq"] as? Int).map(Int64.init) ?? 0, kind: frame["kind"] as? String ?? "",
                text: (frame["data"] as? [String: Any])?["text"] as? String ?? "")
        }
    }
}
