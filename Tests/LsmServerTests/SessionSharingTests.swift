import Foundation
import LsmCore
import LsmServer
import LsmTestSupport
import Testing

/// `git lsm share`: a local session published into a room by a real server, kept live while its
/// transcript grows, and ended cleanly.
@Suite(.serialized) struct SessionSharingTests {
    /// A Claude Code transcript of `sess-share-1` in `repo`, its lines written now.
    struct Transcript {
        let path: String
        let cwd: String

        init(repo: TestRepository) throws {
            let folder = repo.sandbox.child(".claude/projects/p")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            path = folder + "/sess-share-1.jsonl"
            cwd = repo.path
            FileManager.default.createFile(atPath: path, contents: nil)
        }

        func append(_ lines: [String]) throws {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(lines.map { $0 + "\n" }.joined().utf8))
            try handle.close()
        }

        func prompt(_ text: String, _ number: Int) -> String {
            """
            {"type":"user","sessionId":"sess-share-1","cwd":"\(cwd)","gitBranch":"main","uuid":"u\(number)",\
            "timestamp":"\(Date().formatted(.iso8601))","message":{"role":"user","content":"\(text)"}}
            """
        }

        func call(_ number: Int, output: Int, file: String) -> String {
            """
            {"type":"assistant","sessionId":"sess-share-1","cwd":"\(cwd)","gitBranch":"main","timestamp":"\(Date().formatted(.iso8601))",\
            "requestId":"r\(number)","message":{"id":"m\(number)","model":"claude-sonnet-4-5","role":"assistant",\
            "content":[{"type":"tool_use","id":"t\(number)","name":"Edit","input":{"file_path":"\(cwd)/\(file)"}}],\
            "usage":{"input_tokens":10,"output_tokens":\(output),"cache_read_input_tokens":1000,"cache_creation_input_tokens":0}}}
            """
        }
    }

    func sharer(_ server: RunningServer) -> SessionSharer {
        var environment = server.repo.environment
        environment["LSM_PROC_ROOT"] = server.repo.sandbox.child("no-proc")
        return SessionSharer(
            workspace: Workspace(directory: server.repo.path, environment: environment), paths: server.paths, serverURL: server.url,
            repositoryRoot: server.repo.path)
    }

    @Test func sharesALiveSessionAndFollowsItsTranscriptUntilStopped() async throws {
        // Given a room with a viewer, and a session running in the repository.
        let server = try await RunningServer()
        let transcript = try Transcript(repo: server.repo)
        try transcript.append([
            transcript.prompt("Fix the token check; my key is sk-ant-api03-\(String(repeating: "A", count: 40))", 1),
            transcript.call(1, output: 100, file: "src/auth.py"),
        ])
        let viewer = try await server.connect("Viewer", role: .viewer)

        // When lsm shares it with its transcript.
        let stop = SessionSharer.StopFlag()
        let sharer = sharer(server)
        let share = Task {
            try await sharer.run(
                SessionSharer.Options(session: "sess-share", room: "main", name: "Ada", transcript: true, interval: .milliseconds(200)),
                stop: stop)
        }

        // Then the viewer sees it, with the fields the sessions panel reads, and secrets redacted.
        let first = try await viewer.socket.next { $0["type"] as? String == "event" && $0["kind"] as? String == "session" }
        let data = try require2(first["data"] as? [String: Any])
        #expect(data["name"] as? String == "Ada")
        let session = try require2(data["session"] as? [String: Any])
        #expect(session["id"] as? String == "sess-share-1")
        #expect(session["agent"] as? String == "claude-code")
        #expect(session["model"] as? String == "claude-sonnet-4-5")
        #expect(session["live"] as? Bool == true)
        #expect(session["branch"] as? String == "main")
        #expect((session["usage"] as? [String: Any])?["total"] as? Int == 1110)
        let health = try require2(session["health"] as? [String: Any])
        #expect(health["score"] is Int && health["status"] is String && health["components"] is [Any])
        #expect(session["lastActivityAt"] is String)
        #expect((session["files"] as? [[String: Any]])?.first?["path"] as? String == "src/auth.py")
        let prompts = try require2(session["prompts"] as? [String])
        #expect(prompts.count == 1 && prompts[0].contains("[REDACTED:anthropic-key]") && !prompts[0].contains("AAAAAAAA"))
        let timeline = try require2(session["transcript"] as? [[String: Any]])
        #expect(timeline.contains { ($0["text"] as? String)?.contains("[REDACTED:anthropic-key]") == true })
        #expect(!"\(first)".contains("sk-ant-api03-AAAA"))

        // When the transcript grows, an update follows with the new usage and file.
        try transcript.append([transcript.prompt("Now the tests", 2), transcript.call(2, output: 5000, file: "tests/test_auth.py")])
        let grown = try await viewer.socket.next(timeout: .seconds(15)) {
            guard $0["kind"] as? String == "session", let data = $0["data"] as? [String: Any],
                let session = data["session"] as? [String: Any]
            else { return false }
            return (session["usage"] as? [String: Any])?["total"] as? Int == 7120
        }
        let grownSession = try require2((grown["data"] as? [String: Any])?["session"] as? [String: Any])
        #expect((grownSession["prompts"] as? [String]) == [prompts[0], "Now the tests"])
        #expect((grownSession["files"] as? [[String: Any]])?.count == 2)

        // When sharing stops, a last update says so and every update was acknowledged.
        stop.stop()
        let report = try await share.value
        let last = try await viewer.socket.next {
            (($0["data"] as? [String: Any])?["session"] as? [String: Any])?["ended"] as? Bool == true
        }
        #expect(last["kind"] as? String == "session")
        #expect(report.reason == "stopped")
        #expect(report.updates >= 3 && report.acknowledged == report.updates)

        // And the room's session list (the panel's first load) has the newest state.
        let (status, body) = try await server.get("/api/sessions?room=main", headers: ["Authorization": "Bearer \(viewer.token)"])
        #expect(status == 200)
        #expect(String(decoding: body, as: UTF8.self).contains("\"ended\":true"))
        await server.stop()
    }

    @Test func anEndedSessionIsPublishedOnceWithoutItsTranscript() async throws {
        let server = try await RunningServer()
        let transcript = try Transcript(repo: server.repo)
        try transcript.append([transcript.prompt("Old work", 1), transcript.call(1, output: 10, file: "a.txt")])
        let viewer = try await server.connect("Viewer", role: .viewer)
        // Activity more than a minute ago and no agent process: the session is not live.
        var environment = server.repo.environment
        environment["LSM_PROC_ROOT"] = server.repo.sandbox.child("no-proc")
        let later = Date().addingTimeInterval(600)
        let sharer = SessionSharer(
            workspace: Workspace(directory: server.repo.path, environment: environment, now: { later }), paths: server.paths,
            serverURL: server.url, repositoryRoot: server.repo.path)

        let report = try await sharer.run(
            SessionSharer.Options(session: "sess-share-1", room: "main", name: "Ada", transcript: false), stop: SessionSharer.StopFlag())

        #expect(report.reason == "session-ended" && report.updates == 1 && report.acknowledged == 1)
        let event = try await viewer.socket.next { $0["kind"] as? String == "session" }
        let session = try require2((event["data"] as? [String: Any])?["session"] as? [String: Any])
        #expect(session["live"] as? Bool == false && session["ended"] as? Bool == true)
        #expect(session["transcript"] == nil)
        // The member lsm joined as is an admin of this room, listed like any other.
        let members = try server.paths.inviteDesk().members()
        #expect(members.contains { $0.name == "Ada" && $0.role == "admin" && $0.room == "main" })
        await server.stop()
    }

    @Test func anUnknownSessionFailsBeforeJoining() async throws {
        let server = try await RunningServer()
        await #expect(throws: LsmError.self) {
            try await sharer(server).run(
                SessionSharer.Options(session: "nope", room: "main", name: "Ada", transcript: false), stop: SessionSharer.StopFlag())
        }
        #expect(try server.paths.inviteDesk().invites().isEmpty)
        await server.stop()
    }
}
