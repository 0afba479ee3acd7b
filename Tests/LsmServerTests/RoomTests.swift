import Foundation
import LsmCore
import LsmServer
import LsmTestSupport
import Testing

@Suite struct RoomTests {
    @Test func twoMembersChatAndSeeEachOthersPresenceAndCursors() async throws {
        let server = try await RunningServer()
        let (ada, adaWelcome, _) = try await server.connect("Ada")
        #expect(adaWelcome["v"] as? Int == 1)
        #expect((adaWelcome["room"] as? [String: Any])?["branch"] as? String == "main")
        let (bob, bobWelcome, _) = try await server.connect("Bob")
        let present = (bobWelcome["presence"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
        #expect(Set(present) == ["Ada", "Bob"])
        let bobArrives = try await ada.next(type: "presence")
        #expect(bobArrives["name"] as? String == "Bob")
        #expect(bobArrives["state"] as? String == "active")

        // HTML and script are stored and returned verbatim; rendering them inert is the UI's job.
        let text = "<script>alert('hi')</script> & <b>bold</b> \"quoted\"\n"
        ada.send(["type": "chat", "clientId": "c1", "text": text])
        let seen = try await bob.next { $0["type"] as? String == "event" && $0["kind"] as? String == "chat" }
        #expect((seen["data"] as? [String: Any])?["text"] as? String == text)
        #expect((seen["data"] as? [String: Any])?["name"] as? String == "Ada")
        let ack = try await ada.next(type: "ack")
        #expect(ack["clientId"] as? String == "c1")
        #expect(ack["seq"] as? Int == seen["seq"] as? Int)
        #expect(ack["duplicate"] as? Bool == false)

        ada.send(["type": "cursor", "path": "src/auth.py", "line": 4, "blob": "abc123"])
        let cursor = try await bob.next(type: "cursor")
        #expect(cursor["path"] as? String == "src/auth.py")
        #expect(cursor["line"] as? Int == 4)
        #expect(cursor["member"] as? String == (adaWelcome["you"] as? [String: Any])?["member"] as? String)

        let bobID = try require2((bobWelcome["you"] as? [String: Any])?["member"] as? String)
        ada.send(["type": "follow", "member": bobID])
        let following = try await bob.next { $0["type"] as? String == "presence" && $0["following"] as? String == bobID }
        #expect(following["name"] as? String == "Ada")

        bob.close()
        let gone = try await ada.next { $0["type"] as? String == "presence" && $0["state"] as? String == "gone" }
        #expect(gone["name"] as? String == "Bob")
        let left = try await ada.next { $0["type"] as? String == "event" && $0["kind"] as? String == "leave" }
        #expect((left["data"] as? [String: Any])?["name"] as? String == "Bob")
        await server.stop()
    }

    @Test func aRetriedClientIDIsAppliedOnce() async throws {
        let server = try await RunningServer()
        let (ada, _, _) = try await server.connect("Ada")
        ada.send(["type": "chat", "clientId": "same", "text": "once"])
        let first = try await ada.next(type: "ack")
        ada.send(["type": "chat", "clientId": "same", "text": "once"])
        let second = try await ada.next(type: "ack")
        #expect(second["duplicate"] as? Bool == true)
        #expect(second["seq"] as? Int == first["seq"] as? Int)
        let chats = ada.snapshot().filter { $0["type"] as? String == "event" && $0["kind"] as? String == "chat" }
        #expect(chats.count == 1)
        await server.stop()
    }

    @Test func aReconnectingClientGetsExactlyTheEventsItMissed() async throws {
        let server = try await RunningServer()
        let (bob, _, _) = try await server.connect("Bob")
        let joined = try await server.join("Ada")
        let token = try require2(joined["accessToken"] as? String)
        var ada = TestSocket(url: server.webSocketURL, headers: ["Authorization": "Bearer \(token)"])
        _ = try await ada.hello()
        var lastSeq: Int64 = 0
        for index in 1...5 {
            bob.send(["type": "chat", "clientId": "b\(index)", "text": "before \(index)"])
            let event = try await ada.next { $0["type"] as? String == "event" && $0["kind"] as? String == "chat" }
            lastSeq = Int64(event["seq"] as? Int ?? 0)
        }
        ada.close()
        _ = try await ada.ending()
        for index in 6...10 {
            bob.send(["type": "chat", "clientId": "b\(index)", "text": "while away \(index)"])
            _ = try await bob.next(type: "ack")
        }
        ada = TestSocket(url: server.webSocketURL, headers: ["Authorization": "Bearer \(token)"])
        let welcome = try await ada.hello(lastSeq: lastSeq)
        let synced = try await ada.next(type: "synced")
        let frames = ada.snapshot()
        let syncedAt = try require2(frames.firstIndex { $0["type"] as? String == "synced" })
        let replayed = frames[..<syncedAt].filter { $0["type"] as? String == "event" }
        let texts = replayed.filter { $0["kind"] as? String == "chat" }.compactMap { ($0["data"] as? [String: Any])?["text"] as? String }
        #expect(texts == (6...10).map { "while away \($0)" })
        let sequences = replayed.compactMap { $0["seq"] as? Int }
        #expect(sequences == Array(sequences.sorted()) && Set(sequences).count == sequences.count)
        #expect(sequences.first == Int(lastSeq) + 1)
        #expect(welcome["replay"] as? Int == replayed.count)
        #expect(synced["lastSeq"] as? Int == sequences.last)
        await server.stop()
    }

    @Test func aCommentInTheRoomIsAGitThreadAndThreadsFromTheCLIAppearInTheRoom() async throws {
        let server = try await RunningServer()
        let (ada, _, _) = try await server.connect("Ada")
        ada.send(["type": "comment", "clientId": "k1", "path": "src/auth.py", "line": 4, "text": "validate exp <here>"])
        let created = try await ada.next { $0["type"] as? String == "event" && $0["kind"] as? String == "comment" }
        let data = try require2(created["data"] as? [String: Any])
        #expect(data["op"] as? String == "create")
        let thread = try require2(data["thread"] as? [String: Any])
        let threadID = try require2(thread["id"] as? String)
        #expect(thread["line"] as? Int == 4)
        _ = try await ada.next(type: "ack")

        // What `git lsm comments` reads: the same refs, the same use case.
        let workspace = Workspace(directory: server.repo.path, environment: server.repo.environment)
        let repository = try workspace.openRepository()
        let board = CommentBoard(workspace: workspace)
        let threads = try board.threads(path: nil, all: false, revision: nil, in: repository)
        #expect(threads.map(\.id) == [threadID])
        #expect(threads.first?.comments.first?.author == "Ada")
        #expect(threads.first?.body == "validate exp <here>")

        // A reply from the CLI reaches the room within a second or so.
        _ = try board.reply(to: threadID, body: "done in the next commit", in: repository)
        let update = try await ada.next(timeout: .seconds(3)) { $0["type"] as? String == "event" && $0["kind"] as? String == "comment" }
        let updated = try require2((update["data"] as? [String: Any])?["thread"] as? [String: Any])
        #expect((updated["comments"] as? [Any])?.count == 2)
        #expect((update["data"] as? [String: Any])?["op"] as? String == "update")

        // A viewer may look but not write.
        let (viewer, _, _) = try await server.connect("Vic", role: .viewer)
        viewer.send(["type": "chat", "clientId": "v1", "text": "hello"])
        let refused = try await viewer.next(type: "error")
        #expect(refused["code"] as? String == "forbidden")
        await server.stop()
    }

    @Test func historyPagesBackwardsOverHTTP() async throws {
        let server = try await RunningServer()
        let (ada, _, token) = try await server.connect("Ada")
        for index in 1...12 {
            ada.send(["type": "chat", "clientId": "h\(index)", "text": "m\(index)"])
            _ = try await ada.next(type: "ack")
        }
        let (status, data) = try await server.get("/api/history?room=main&limit=5", headers: ["Authorization": "Bearer \(token)"])
        #expect(status == 200)
        let events = try require2((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["events"] as? [[String: Any]])
        #expect(events.compactMap { ($0["data"] as? [String: Any])?["text"] as? String } == ["m8", "m9", "m10", "m11", "m12"])
        let before = try require2(events.first?["seq"] as? Int)
        let (_, older) = try await server.get(
            "/api/history?room=main&limit=3&before=\(before)", headers: ["Authorization": "Bearer \(token)"])
        let page = try require2((try JSONSerialization.jsonObject(with: older) as? [String: Any])?["events"] as? [[String: Any]])
        #expect(page.compactMap { ($0["data"] as? [String: Any])?["text"] as? String } == ["m5", "m6", "m7"])
        await server.stop()
    }
}
