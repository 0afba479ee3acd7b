import Foundation
import LsmCore
import LsmServer
import LsmTestSupport
import Testing

@testable import LsmServer

@Suite struct WebRoutesTests {
    @Test func everyPageAndAssetIsServedWithAStrictContentSecurityPolicy() async throws {
        let server = try await RunningServer()
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/LsmServer/Web/Static")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0 != "index.html" }.sorted()
        // Package.swift embeds each file by name; one left out there would be missing here.
        #expect(Set(files) == Set(WebAssets.files.keys))
        for path in ["/", "/join"] + files.map({ "/ui/" + $0 }) {
            let (status, headers, body) = try await server.getWithHeaders(path)
            #expect(status == 200, "\(path)")
            #expect(headers["Content-Security-Policy"]?.hasPrefix("default-src 'self'") == true, "\(path)")
            #expect(headers["X-Content-Type-Options"] == "nosniff", "\(path)")
            #expect(!body.isEmpty, "\(path)")
            if path.hasSuffix(".js") { #expect(headers["Content-Type"]?.hasPrefix("text/javascript") == true) }
        }
        let page = String(decoding: try await server.get("/").1, as: UTF8.self)
        #expect(!page.contains("<script>") && !page.contains("style="), "no inline script or style")
        #expect(try await server.get("/ui/missing.js").0 == 404)
        await server.stop()
    }

    @Test func theBranchHeadsFilesNeedAToken() async throws {
        let server = try await RunningServer()
        #expect(try await server.get("/api/tree?room=main").0 == 401)
        #expect(try await server.get("/api/file?room=main&path=src/auth.py").0 == 401)
        let token = try require2(try await server.join("Ada")["accessToken"] as? String)
        let auth = ["Authorization": "Bearer \(token)"]
        let (status, data) = try await server.get("/api/tree?room=main", headers: auth)
        #expect(status == 200)
        let tree = try require2(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(tree["files"] as? [String] == ["src/auth.py"])
        #expect(tree["head"] as? String == (try server.repo.revParse("main")))
        #expect(tree["branch"] as? String == "main")
        let (fileStatus, fileData) = try await server.get("/api/file?room=main&path=src/auth.py", headers: auth)
        #expect(fileStatus == 200)
        let file = try require2(try JSONSerialization.jsonObject(with: fileData) as? [String: Any])
        #expect((file["text"] as? String)?.hasPrefix("import jwt\n") == true)
        #expect(file["blob"] as? String == (try server.repo.revParse("main:src/auth.py")))
        // A token for another room reads nothing here.
        #expect(try await server.get("/api/tree?room=other", headers: auth).0 == 401)
        await server.stop()
    }

    @Test func refusesPathsOutsideTheTreeBinaryFilesAndHugeFiles() async throws {
        let server = try await RunningServer()
        try server.repo.commit(
            "Assets",
            files: [
                "assets/logo.bin": "PNG\u{0}\u{1}\u{2}", "assets/huge.txt": String(repeating: "0123456789abcdef\n", count: 70_000),
            ])
        let token = try require2(try await server.join("Ada")["accessToken"] as? String)
        let auth = ["Authorization": "Bearer \(token)"]
        let cases: [(String, Int)] = [
            ("../../etc/passwd", 400), ("/etc/passwd", 400), ("src/../src/auth.py", 400), ("src//auth.py", 400), ("./src/auth.py", 400),
            ("src", 400), ("nowhere.txt", 404), ("assets/logo.bin", 415), ("assets/huge.txt", 413),
        ]
        for (path, expected) in cases {
            let query = path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? path
            #expect(try await server.get("/api/file?room=main&path=\(query)", headers: auth).0 == expected, "\(path)")
        }
        await server.stop()
    }

    @Test func threadsIncludeResolvedOnes() async throws {
        let server = try await RunningServer()
        let (ada, _, token) = try await server.connect("Ada")
        ada.send(["type": "comment", "clientId": "c1", "path": "src/auth.py", "line": 4, "text": "check exp"])
        let created = try await ada.next { $0["type"] as? String == "event" && $0["kind"] as? String == "comment" }
        let thread = try require2(((created["data"] as? [String: Any])?["thread"] as? [String: Any])?["id"] as? String)
        ada.send(["type": "resolve", "clientId": "c2", "thread": thread, "resolved": true])
        _ = try await ada.next { $0["type"] as? String == "ack" && $0["clientId"] as? String == "c2" }
        let (status, data) = try await server.get("/api/threads?room=main", headers: ["Authorization": "Bearer \(token)"])
        #expect(status == 200)
        let threads = try require2((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["threads"] as? [[String: Any]])
        #expect(threads.count == 1)
        #expect(threads.first?["resolved"] as? Bool == true)
        #expect(threads.first?["line"] as? Int == 4)
        await server.stop()
    }

    @Test func sessionsSharedIntoTheRoomAreListedOncePerSession() async throws {
        let server = try await RunningServer()
        let (admin, _, token) = try await server.connect("Ada", role: .admin)
        for (index, fill) in [0.2, 0.5].enumerated() {
            admin.send(["type": "session", "clientId": "s\(index)", "session": ["id": "abc", "agent": "codex", "contextFill": fill]])
            _ = try await admin.next { $0["type"] as? String == "ack" && $0["clientId"] as? String == "s\(index)" }
        }
        let (_, data) = try await server.get("/api/sessions?room=main", headers: ["Authorization": "Bearer \(token)"])
        let sessions = try require2((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["sessions"] as? [[String: Any]])
        #expect(sessions.count == 1)
        let session = (sessions.first?["data"] as? [String: Any])?["session"] as? [String: Any]
        #expect(session?["contextFill"] as? Double == 0.5)
        await server.stop()
    }

    @Test func pathsMustBePlainRelativeComponents() {
        #expect(BranchFiles.isSafe("src/auth.py"))
        #expect(BranchFiles.isSafe(".github/workflows/ci.yml"))
        for path in ["", "/abs", "a/../b", "..", "a//b", "a/./b", "a/", "a\\b", "a\u{0}b", "a\nb"] {
            #expect(!BranchFiles.isSafe(path), "\(path)")
        }
    }

    @Test func theBrowserOpensOnlyWithADisplay() {
        #if os(Linux)
            #expect(BrowserOpener.program(environment: [:]) == nil)
            #expect(BrowserOpener.program(environment: ["DISPLAY": ""]) == nil)
            #expect(BrowserOpener.program(environment: ["DISPLAY": ":0"]) == "xdg-open")
            #expect(BrowserOpener.program(environment: ["WAYLAND_DISPLAY": "wayland-0"]) == "xdg-open")
            #expect(BrowserOpener.open("http://127.0.0.1:1/join#x", environment: [:]) == .noDisplay)
        #endif
    }
}
