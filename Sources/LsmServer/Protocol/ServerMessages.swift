import Foundation
import LsmCore

/// The messages the server sends besides event frames (docs/protocol.md).
enum ServerMessage {
    struct Welcome: Encodable {
        var type = "welcome"
        var v = WireJSON.version
        var you: Presence
        var room: RoomInfo
        var presence: [Presence]
        /// How many event frames follow (then `synced`).
        var replay: Int
        /// True when more events were missed than are replayed: older ones page through HTTP.
        var truncated: Bool
        var threads: [CommentBoard.ThreadView]
    }

    struct RoomInfo: Encodable {
        var name: String
        var branch: String
        var head: String?
        var lastSeq: Int64
    }

    struct Presence: Encodable, Equatable {
        var type = "presence"
        var connection: Int
        var member: String
        var name: String
        var role: Role
        /// `active`, `idle`, `away`, or `gone` when the connection closed.
        var state: String
        var following: String?
    }

    struct Synced: Encodable {
        var type = "synced"
        var lastSeq: Int64
    }

    struct Ack: Encodable {
        var type = "ack"
        var clientId: String
        var seq: Int64
        var duplicate: Bool
    }

    struct Failure: Encodable {
        var type = "error"
        var code: String
        var message: String
        var clientId: String?
    }

    struct Cursor: Encodable, Equatable {
        var type = "cursor"
        var connection: Int
        var member: String
        var path: String
        var line: Int
        var blob: String?
    }

    struct Typing: Encodable {
        var type = "typing"
        var connection: Int
        var member: String
        var active: Bool
    }

    struct Pong: Encodable {
        var type = "pong"
    }
}

/// The `data` of persisted events, as stored.
enum EventPayload {
    struct Chat: Encodable {
        var name: String
        var text: String
        var replyTo: Int64?
    }

    struct Reaction: Encodable {
        var name: String
        var target: Int64
        var emoji: String
        var remove: Bool
    }

    struct Membership: Encodable {
        var name: String
        var role: Role
    }

    struct Comment: Encodable {
        var name: String
        /// `create`, `reply`, `resolve`, `reopen`, `react`, `unreact`, or `update` (seen in git).
        var op: String
        var thread: CommentBoard.ThreadView
    }

    struct Session: Encodable {
        var name: String
        var session: JSONValue
    }
}
