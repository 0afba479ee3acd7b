import Foundation
import HummingbirdWebSocket
import LsmCore
import LsmGit
import LsmStore
import NIOWebSocket

/// One branch's room: its connections, their presence and cursors, and its event log. An actor, so
/// a room's events are numbered, stored and broadcast in one order: an event is committed before
/// anyone sees it, and each connection receives events in sequence order.
actor Room {
    let name: String
    let context: RoomContext
    var connections: [Int: ConnectionState] = [:]
    /// The comment threads' tips last seen, to notice threads changed outside the room.
    var knownTips: [String: [ObjectID]]?
    /// The highest sequence number sent to this room's connections (events appended by other server
    /// nodes arrive through `catchUp`).
    var delivered: Int64
    /// The greeted connections, and their sockets grouped for broadcasts; nil when they changed.
    private var audience: (handles: [ConnectionHandle], fanOut: FanOut)?

    struct ConnectionState {
        let handle: ConnectionHandle
        var greeted = false
        let openedAt: ContinuousClock.Instant
        var lastReceived: ContinuousClock.Instant
        var lastActivity: ContinuousClock.Instant
        var state = "active"
        var following: String?
        var bucket: TokenBucket
        var violations = 0
        var lastCursorAt: ContinuousClock.Instant?
        var pendingCursor: ServerMessage.Cursor?

        var claims: AccessClaims { handle.claims }

        var presence: ServerMessage.Presence {
            ServerMessage.Presence(
                connection: handle.id, member: claims.member, name: claims.name, role: claims.role, state: state, following: following)
        }
    }

    init(name: String, context: RoomContext) {
        self.name = name
        self.context = context
        knownTips = try? CommentStore(repository: context.openRepository()).allThreadTips()
        delivered = (try? context.store.lastSequence(in: name)) ?? 0
    }

    // MARK: - Connections

    func attach(_ handle: ConnectionHandle) {
        let now = ContinuousClock.now
        let open = connections.values.filter { $0.claims.member == handle.claims.member }.count
        guard open < context.limits.maxConnectionsPerMember else {
            handle.close(.policyViolation, reason: "too many connections")
            return
        }
        connections[handle.id] = ConnectionState(
            handle: handle, openedAt: now, lastReceived: now, lastActivity: now,
            bucket: TokenBucket(capacity: context.limits.burstMessages, rate: context.limits.messagesPerSecond, now: now))
    }

    func detach(_ id: Int) {
        guard let state = connections.removeValue(forKey: id), state.greeted else { return }
        audience = nil
        var gone = state.presence
        gone.state = "gone"
        broadcast(WireJSON.encode(gone))
        let member = state.claims.member
        if !connections.values.contains(where: { $0.greeted && $0.claims.member == member }) {
            _ = persist(
                kind: "leave", payload: EventPayload.Membership(name: state.claims.name, role: state.claims.role), author: member,
                clientID: nil, replyTo: nil)
        }
    }

    /// Closes the connections of these members (revoked) with 1008.
    func revoke(members: Set<String>) {
        for state in connections.values where members.contains(state.claims.member) {
            state.handle.close(.policyViolation, reason: "access revoked")
        }
    }

    /// Once per server tick: hello and idle timeouts, idle presence, throttled cursors.
    func tick() {
        let now = ContinuousClock.now
        let limits = context.limits
        for (id, var state) in connections {
            if !state.greeted && state.openedAt.duration(to: now) > limits.helloTimeout {
                state.handle.close(.policyViolation, reason: "no hello")
                continue
            }
            if state.lastReceived.duration(to: now) > limits.idleTimeout {
                state.handle.close(.goingAway, reason: "idle")
                continue
            }
            if state.greeted && state.state == "active" && state.lastActivity.duration(to: now) > limits.idleAfter {
                state.state = "idle"
                connections[id] = state
                broadcast(WireJSON.encode(state.presence))
            }
            if let cursor = state.pendingCursor, let last = state.lastCursorAt,
                last.duration(to: now) >= .seconds(1 / limits.cursorsPerSecond)
            {
                state.pendingCursor = nil
                state.lastCursorAt = now
                connections[id] = state
                broadcast(WireJSON.encode(cursor), except: id)
            }
        }
    }

    // MARK: - Messages

    func receive(_ text: String, from id: Int) {
        // A connection the room closed (revoked, rate limited, idle) says nothing more, even while
        // its client has not answered the close.
        guard var state = connections[id], state.handle.requestedClose == nil else { return }
        let now = ContinuousClock.now
        state.lastReceived = now
        guard state.bucket.take(at: now) else {
            state.violations += 1
            connections[id] = state
            if state.violations > context.limits.maxRateViolations {
                state.handle.close(.policyViolation, reason: "rate limit")
            } else if state.violations == 1 || state.violations.isMultiple(of: 20) {
                fail(state, "rate_limited", "slow down: at most \(context.limits.messagesPerSecond) messages per second")
            }
            return
        }
        connections[id] = state
        guard let message = try? JSONDecoder().decode(ClientMessage.self, from: Data(text.utf8)) else {
            fail(state, "bad_message", "not a JSON object with a type")
            return
        }
        if message.type == "hello" {
            hello(message, from: id)
            return
        }
        guard state.greeted else {
            fail(state, "hello_first", "send hello first")
            return
        }
        switch message.type {
        case "ping":
            state.handle.send(WireJSON.encode(ServerMessage.Pong()))
        case "chat": chat(message, from: id)
        case "react": reactToChat(message, from: id)
        case "comment", "reply", "resolve", "commentReact": commentOperation(message, from: id)
        case "cursor": cursor(message, from: id)
        case "typing": typing(message, from: id)
        case "presence": presence(message, from: id)
        case "follow": follow(message, from: id)
        case "session": session(message, from: id)
        default: fail(state, "unknown_type", "unknown message type", clientID: message.clientId)
        }
    }

    private func hello(_ message: ClientMessage, from id: Int) {
        guard var state = connections[id] else { return }
        guard message.v == WireJSON.version else {
            fail(state, "version", "this server speaks protocol version \(WireJSON.version)")
            state.handle.close(.protocolError, reason: "unsupported protocol version")
            return
        }
        guard !state.greeted else { return fail(state, "hello_twice", "already said hello") }
        let limits = context.limits
        var replay: [RoomEvent]
        var truncated = false
        let lastSeq: Int64
        do {
            lastSeq = try context.store.lastSequence(in: name)
            if let after = message.lastSeq {
                replay = try context.store.events(in: name, after: after, limit: limits.maxReplayEvents + 1)
                if replay.count > limits.maxReplayEvents {
                    truncated = true
                    replay = try context.store.events(in: name, before: nil, limit: limits.maxReplayEvents)
                }
            } else {
                replay = try context.store.events(in: name, before: nil, limit: limits.recentHistory)
            }
        } catch {
            context.logger.error("room \(name): reading history failed: \(error)")
            fail(state, "store_failed", "the server cannot read the room's history")
            state.handle.close(.unexpectedServerError, reason: "store failed")
            return
        }
        state.greeted = true
        state.lastActivity = .now
        state.handle.sentSeq = max(lastSeq, replay.last?.sequence ?? 0)
        connections[id] = state
        audience = nil
        let firstOfMember = !connections.values.contains { $0.greeted && $0.handle.id != id && $0.claims.member == state.claims.member }
        let welcome = ServerMessage.Welcome(
            you: state.presence, room: .init(name: name, branch: name, head: branchHead(), lastSeq: lastSeq),
            presence: connections.values.filter(\.greeted).map(\.presence).sorted { $0.connection < $1.connection },
            replay: replay.count, truncated: truncated, threads: openThreads())
        state.handle.send(WireJSON.encode(welcome))
        for event in replay { state.handle.send(WireJSON.eventFrame(event)) }
        state.handle.send(WireJSON.encode(ServerMessage.Synced(lastSeq: lastSeq)))
        broadcast(WireJSON.encode(state.presence), except: id)
        if firstOfMember {
            _ = persist(
                kind: "join", payload: EventPayload.Membership(name: state.claims.name, role: state.claims.role),
                author: state.claims.member, clientID: nil, replyTo: nil)
        }
    }

    private func chat(_ message: ClientMessage, from id: Int) {
        guard let state = writer(id, message, needs: .commenter) else { return }
        let text = message.text ?? ""
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, text.count <= context.limits.maxChatCharacters else {
            return fail(
                state, "bad_text", "a chat message has 1 to \(context.limits.maxChatCharacters) characters", clientID: message.clientId)
        }
        markActive(id)
        persistAndAck(
            kind: "chat", payload: EventPayload.Chat(name: state.claims.name, text: text, replyTo: message.replyTo), state: state,
            clientID: message.clientId)
    }

    private func reactToChat(_ message: ClientMessage, from id: Int) {
        guard let state = writer(id, message, needs: .commenter) else { return }
        guard let target = message.target, let emoji = validEmoji(message.emoji) else {
            return fail(state, "bad_reaction", "a reaction needs a target sequence number and one emoji", clientID: message.clientId)
        }
        markActive(id)
        persistAndAck(
            kind: "reaction",
            payload: EventPayload.Reaction(name: state.claims.name, target: target, emoji: emoji, remove: message.remove ?? false),
            state: state, clientID: message.clientId)
    }

    private func session(_ message: ClientMessage, from id: Int) {
        guard let state = writer(id, message, needs: .admin) else { return }
        guard let session = message.session, case .object = session else {
            return fail(state, "bad_session", "a session update needs a session object", clientID: message.clientId)
        }
        persistAndAck(
            kind: "session", payload: EventPayload.Session(name: state.claims.name, session: session), state: state,
            clientID: message.clientId)
    }

    private func cursor(_ message: ClientMessage, from id: Int) {
        guard var state = connections[id] else { return }
        guard let path = message.path, !path.isEmpty, path.utf8.count <= 4096, let line = message.line, line >= 1,
            message.blob.map({ $0.count <= 64 && $0.allSatisfy(\.isHexDigit) }) ?? true
        else { return fail(state, "bad_cursor", "a cursor is {path, line >= 1, blob?}") }
        let now = ContinuousClock.now
        let cursor = ServerMessage.Cursor(connection: id, member: state.claims.member, path: path, line: line, blob: message.blob)
        state.lastActivity = now
        if let last = state.lastCursorAt, last.duration(to: now) < .seconds(1 / context.limits.cursorsPerSecond) {
            state.pendingCursor = cursor
            connections[id] = state
        } else {
            state.lastCursorAt = now
            state.pendingCursor = nil
            connections[id] = state
            broadcast(WireJSON.encode(cursor), except: id)
        }
        markActive(id)
    }

    private func typing(_ message: ClientMessage, from id: Int) {
        guard let state = connections[id] else { return }
        markActive(id)
        broadcast(
            WireJSON.encode(ServerMessage.Typing(connection: id, member: state.claims.member, active: message.active ?? true)), except: id)
    }

    private func presence(_ message: ClientMessage, from id: Int) {
        guard var state = connections[id] else { return }
        guard let value = message.state, ["active", "idle", "away"].contains(value) else {
            return fail(state, "bad_presence", "state is active, idle or away")
        }
        state.state = value
        state.lastActivity = .now
        connections[id] = state
        broadcast(WireJSON.encode(state.presence))
    }

    private func follow(_ message: ClientMessage, from id: Int) {
        guard var state = connections[id] else { return }
        if let member = message.member, member.count > 64 { return fail(state, "bad_follow", "not a member id") }
        state.following = message.member
        connections[id] = state
        broadcast(WireJSON.encode(state.presence))
    }

    // MARK: - Persisting and sending

    /// Stores an event, broadcasts it, and acknowledges it to its sender.
    func persistAndAck(kind: String, payload: some Encodable, state: ConnectionState, clientID: String?) {
        guard let clientID else { return }
        guard let appended = persist(kind: kind, payload: payload, author: state.claims.member, clientID: clientID, replyTo: nil) else {
            return fail(state, "store_failed", "the message was not stored; retry with the same clientId", clientID: clientID)
        }
        state.handle.send(
            WireJSON.encode(ServerMessage.Ack(clientId: clientID, seq: appended.event.sequence, duplicate: appended.duplicate)))
    }

    /// Appends an event to the store, then (when new) sends it to every greeted connection.
    func persist(kind: String, payload: some Encodable, author: String, clientID: String?, replyTo: Int64?)
        -> AppendedRoomEvent?
    {
        let event = NewRoomEvent(
            room: name, kind: kind, author: author, clientID: clientID, payload: WireJSON.encode(payload), createdAt: context.now())
        let appended: AppendedRoomEvent
        do { appended = try context.store.append(event) } catch {
            context.logger.error("room \(name): storing a \(kind) event failed: \(error)")
            return nil
        }
        if !appended.duplicate {
            // Another node may have appended the events just before this one: send those first.
            if appended.event.sequence > delivered + 1 { catchUp(to: appended.event.sequence - 1) }
            deliver(appended.event)
        }
        return appended
    }

    /// Sends the events other server nodes appended, up to `sequence` (all when nil), in order.
    func catchUp(to sequence: Int64? = nil) {
        while sequence.map({ $0 > delivered }) ?? true {
            let events: [RoomEvent]
            do { events = try context.store.events(in: name, after: delivered, limit: 500) } catch {
                context.logger.error("room \(name): reading new events failed: \(error)")
                return
            }
            for event in events { deliver(event) }
            if events.count < 500 { return }
        }
    }

    /// Sends a persisted event to every greeted connection that has not had it yet, encoded once.
    private func deliver(_ event: RoomEvent) {
        delivered = max(delivered, event.sequence)
        let audience = currentAudience()
        let frame = ServerFrame(text: WireJSON.eventFrame(event))
        if audience.handles.allSatisfy({ $0.sentSeq < event.sequence }) {
            for handle in audience.handles { handle.sentSeq = event.sequence }
            audience.fanOut.send(frame)
        } else {
            // Some connections had it already (in their replay, or from another node's catch-up).
            let behind = audience.handles.filter { $0.sentSeq < event.sequence }
            for handle in behind { handle.sentSeq = event.sequence }
            FanOut(behind.map(\.socket)).send(frame)
        }
    }

    /// Sends `text` to every greeted connection (but `excluded`), encoded once.
    private func broadcast(_ text: String, except excluded: Int? = nil) {
        let audience = currentAudience()
        if let excluded, connections[excluded]?.greeted == true {
            FanOut(audience.handles.lazy.filter { $0.id != excluded }.map(\.socket)).send(ServerFrame(text: text))
        } else {
            audience.fanOut.send(ServerFrame(text: text))
        }
    }

    private func currentAudience() -> (handles: [ConnectionHandle], fanOut: FanOut) {
        if let audience { return audience }
        let handles = connections.values.filter(\.greeted).map(\.handle)
        let built = (handles: handles, fanOut: FanOut(handles.map(\.socket)))
        audience = built
        return built
    }

    func fail(_ state: ConnectionState, _ code: String, _ message: String, clientID: String? = nil) {
        state.handle.send(WireJSON.encode(ServerMessage.Failure(code: code, message: message, clientId: clientID)))
    }

    /// The connection's state when it may write with `role` and the message has a client id.
    func writer(_ id: Int, _ message: ClientMessage, needs role: Role) -> ConnectionState? {
        guard let state = connections[id] else { return nil }
        guard state.claims.role >= role else {
            fail(state, "forbidden", "a \(state.claims.role.rawValue) cannot do this", clientID: message.clientId)
            return nil
        }
        guard let clientID = message.clientId, !clientID.isEmpty, clientID.count <= 64 else {
            fail(state, "bad_client_id", "persisted writes need a clientId of 1 to 64 characters")
            return nil
        }
        return state
    }

    func markActive(_ id: Int) {
        guard var state = connections[id] else { return }
        state.lastActivity = .now
        if state.state != "active" {
            state.state = "active"
            connections[id] = state
            broadcast(WireJSON.encode(state.presence))
        } else {
            connections[id] = state
        }
    }

    func validEmoji(_ emoji: String?) -> String? {
        guard let emoji = emoji?.trimmingCharacters(in: .whitespacesAndNewlines), !emoji.isEmpty, emoji.count <= 16,
            !emoji.contains(where: \.isWhitespace)
        else { return nil }
        return emoji
    }
}
