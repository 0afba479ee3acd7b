import Foundation
import LsmStore

/// The server's rooms, created on first use, and the clock that drives them: timeouts and cursor
/// flushes every tick, comment refs and revocations every `pollInterval`.
actor RoomRegistry {
    let context: RoomContext
    private var rooms: [String: Room] = [:]
    private var nextConnectionID = 0

    init(context: RoomContext) {
        self.context = context
    }

    func room(_ name: String) -> Room {
        if let room = rooms[name] { return room }
        let room = Room(name: name, context: context)
        rooms[name] = room
        return room
    }

    /// Another server node appended to `room` (nil: maybe to any room): its connections catch up.
    func appended(to room: String?, sequence: Int64) async {
        if let room {
            await rooms[room]?.catchUp(to: sequence)
        } else {
            for room in rooms.values { await room.catchUp() }
        }
    }

    func newConnectionID() -> Int {
        nextConnectionID += 1
        return nextConnectionID
    }

    /// Runs until cancelled.
    func run() async {
        let tick = Duration.milliseconds(100)
        var sincePoll = Duration.zero
        while !Task.isCancelled {
            try? await Task.sleep(for: tick)
            for room in rooms.values { await room.tick() }
            sincePoll += tick
            if sincePoll >= context.limits.pollInterval {
                sincePoll = .zero
                let revoked = Set(((try? context.store.members()) ?? []).filter { $0.revokedAt != nil }.map(\.id))
                for room in rooms.values {
                    if !revoked.isEmpty { await room.revoke(members: revoked) }
                    await room.pollComments()
                }
            }
        }
    }
}
