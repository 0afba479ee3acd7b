import Foundation
import PostgresNIO

/// A small pool of PostgreSQL connections used synchronously: `RoomStore` is a blocking API, so each
/// call checks out a connection and waits for postgres-nio's futures. The connections live on the
/// pool's own event loop, never on the server's, so waiting can never block the loop it waits for.
final class PostgresConnections: @unchecked Sendable {
    let location: PostgresLocation
    let group: MultiThreadedEventLoopGroup
    let logger: Logger
    private let maxConnections: Int
    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []
    private var open = 0
    private var nextID = 0
    private var closed = false

    init(location: PostgresLocation, maxConnections: Int = 8) {
        self.location = location
        self.maxConnections = maxConnections
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var logger = Logger(label: "lsm.postgres")
        logger.logLevel = .critical
        self.logger = logger
    }

    /// A new connection outside the pool (for LISTEN), on the pool's event loop.
    func connect() throws -> PostgresConnection {
        condition.lock()
        nextID += 1
        let id = nextID
        condition.unlock()
        return try PostgresConnection.connect(
            on: group.next(), configuration: location.configuration, id: id, logger: logger
        ).wait()
    }

    /// Runs `body` with a connection of the pool, waiting for one when all are busy.
    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try checkOut()
        do {
            let value = try body(connection)
            checkIn(connection)
            return value
        } catch {
            checkIn(connection)
            throw error
        }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try withConnection { connection in
            _ = try connection.query("BEGIN", logger: logger).wait()
            do {
                let value = try body(connection)
                _ = try connection.query("COMMIT", logger: logger).wait()
                return value
            } catch {
                _ = try? connection.query("ROLLBACK", logger: logger).wait()
                throw error
            }
        }
    }

    /// The rows of one query.
    func rows(_ query: PostgresQuery, on connection: PostgresConnection) throws -> [PostgresRow] {
        try connection.query(query, logger: logger).wait().rows
    }

    /// Closes every connection and stops the event loop.
    func close() {
        condition.lock()
        closed = true
        let connections = idle
        idle = []
        condition.broadcast()
        condition.unlock()
        for connection in connections { try? connection.close().wait() }
        try? group.syncShutdownGracefully()
    }

    private func checkOut() throws -> PostgresConnection {
        condition.lock()
        while true {
            if closed {
                condition.unlock()
                throw PostgresStoreFailure("the store is closed")
            }
            if let connection = idle.popLast() {
                if connection.isClosed {
                    open -= 1
                    continue
                }
                condition.unlock()
                return connection
            }
            if open < maxConnections { break }
            condition.wait()
        }
        open += 1
        condition.unlock()
        do { return try connect() } catch {
            condition.lock()
            open -= 1
            condition.signal()
            condition.unlock()
            throw error
        }
    }

    private func checkIn(_ connection: PostgresConnection) {
        condition.lock()
        if connection.isClosed || closed {
            open -= 1
        } else {
            idle.append(connection)
        }
        condition.signal()
        condition.unlock()
        if closed && !connection.isClosed {
            let closing: EventLoopFuture<Void> = connection.close()
            _ = closing
        }
    }
}

/// Where a PostgreSQL room store lives: `postgres://user[:password]@host[:port]/database`. The
/// password may come from `PGPASSWORD` instead, so it need not appear in `server.json`.
struct PostgresLocation: Sendable {
    let host: String
    let port: Int
    let user: String
    let password: String?
    let database: String
    /// The URL without its password, for messages.
    let display: String

    init(url string: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) {
        guard let url = URLComponents(string: string), url.scheme == "postgres" || url.scheme == "postgresql",
            let host = url.host, !host.isEmpty
        else {
            throw StoreError(kind: .cannotOpen, path: string, reason: "not a postgres://user@host[:port]/database URL")
        }
        self.host = host
        port = url.port ?? 5432
        user = url.user ?? environment["PGUSER"] ?? "postgres"
        password = url.password ?? environment["PGPASSWORD"]
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        database = path.isEmpty ? user : path
        display = "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
    }

    var configuration: PostgresConnection.Configuration {
        PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database, tls: .disable)
    }
}

/// A failure inside the store's own logic (not PostgreSQL's).
struct PostgresStoreFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension PostgresStoreFailure {
    /// PostgreSQL's own message for `error` when it has one (PSQLError hides it from `description`).
    static func reason(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if let underlying = error.underlying { return "\(error.code): \(underlying)" }
            return "\(error.code)"
        }
        return "\(error)"
    }
}
