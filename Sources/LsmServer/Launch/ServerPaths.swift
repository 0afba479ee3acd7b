import Foundation
import LsmCore
import LsmStore

/// Where a repository's review server keeps its files: `<common dir>/lsm/` holds `server.json` (URL
/// and pid of the running server), `secret` (the signing key, mode 0600), `server.sqlite` (rooms,
/// invites, members) and `server.log`.
public struct ServerPaths: Sendable {
    public let folder: String

    public init(commonDirectory: String) {
        folder = (commonDirectory as NSString).appendingPathComponent("lsm")
    }

    public var record: String { folder + "/server.json" }
    public var secret: String { folder + "/secret" }
    public var database: String { folder + "/server.sqlite" }
    public var log: String { folder + "/server.log" }

    /// The invites and members of this repository's server, read and written directly (the server
    /// need not run; it notices revocations within a second): in the store of the running server
    /// (which may be PostgreSQL), else in `database`.
    public func inviteDesk(now: @escaping @Sendable () -> Date = { Date() }) throws(LsmError) -> InviteDesk {
        let location = ServerRecord.running(record)?.database ?? database
        do { return InviteDesk(store: try RoomStores.open(location), now: now) } catch {
            throw LsmError(.user, "cannot open the room store \(error.path)", cause: error.reason)
        }
    }
}

/// What `server.json` says about the running server.
public struct ServerRecord: Codable, Sendable, Equatable {
    public var url: String
    public var pid: Int32
    public var host: String
    public var port: Int
    public var database: String
    public var startedAt: Date

    public init(url: String, pid: Int32, host: String, port: Int, database: String, startedAt: Date) {
        self.url = url
        self.pid = pid
        self.host = host
        self.port = port
        self.database = database
        self.startedAt = startedAt
    }

    /// The record at `path`, whether or not its process still runs.
    public static func read(_ path: String) -> ServerRecord? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(ServerRecord.self, from: data)
    }

    /// The record at `path` when its process is alive.
    public static func running(_ path: String) -> ServerRecord? {
        guard let record = read(path), record.isAlive else { return nil }
        return record
    }

    /// Whether the process runs (a zombie, killed but not yet reaped, does not count).
    public var isAlive: Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return true }
        return !stat[close...].hasPrefix(") Z")
    }

    /// Writes the record atomically.
    public func write(to path: String) throws(LsmError) {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw LsmError(.user, "cannot write \(path)", cause: "\(error.localizedDescription)")
        }
    }
}
