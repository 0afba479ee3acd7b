import ArgumentParser
import Foundation
import LsmCore
import LsmServer
import LsmStore

/// `git lsm serve`: the review server of this repository, in the foreground.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the review server: rooms per branch with chat, presence, cursors and comments.",
        discussion: """
            Serves HTTP and WebSocket rooms for this repository until stopped (SIGTERM, Ctrl-C or \
            git lsm serve --stop). It listens on 127.0.0.1 by default; any other address needs \
            --tls-cert and --tls-key, or --insecure. Its URL and pid go to <common dir>/lsm/server.json, \
            its rooms to <common dir>/lsm/server.sqlite (or, with --database postgres://user@host:port/db, \
            to PostgreSQL, where several servers share the same rooms; a password comes from the URL or \
            PGPASSWORD), and access tokens are signed with \
            <common dir>/lsm/secret (made on first use, mode 0600) or LSM_JWT_SECRET. Without --port it \
            reuses the port of its last run, else picks a free one. The protocol is in docs/protocol.md; \
            git lsm review creates invites (and starts the server when needed).
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("The address to listen on.", valueName: "address"))
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("The port (0: any free port).", valueName: "n"))
    var port: Int?

    @Option(
        help: ArgumentHelp(
            "Where rooms are kept: sqlite (default, in the common dir), a SQLite file path, or postgres://user@host:port/db.",
            valueName: "db"))
    var database = "sqlite"

    @Option(name: .customLong("tls-cert"), help: ArgumentHelp("PEM certificate chain for HTTPS.", valueName: "file"))
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("PEM private key for HTTPS.", valueName: "file"))
    var tlsKey: String?

    @Flag(help: "Allow plain HTTP on an address other machines can reach.")
    var insecure = false

    @Option(
        name: .customLong("allow-origin"),
        help: ArgumentHelp("Another browser origin allowed to connect (repeatable).", valueName: "origin"))
    var allowedOrigins: [String] = []

    @Flag(
        name: .customLong("conformance-echo"),
        help: ArgumentHelp("Echo every WebSocket message instead of serving rooms (for make test-conformance).", visibility: .hidden))
    var conformanceEcho = false

    @Flag(help: "Say whether the server runs, and where.")
    var status = false

    @Flag(help: "Stop the running server.")
    var stop = false

    func run() async throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let repository = try workspace.openRepository()
        let paths = ServerPaths(commonDirectory: repository.commonDirectory)
        if status || stop {
            let record = ServerRecord.running(paths.record)
            if stop, let record { ServerLauncher.stop(record, paths: paths) }
            if global.json {
                context.console.line(
                    try JSONOutput.encode(ServeStatus(running: stop ? false : record != nil, url: record?.url, pid: record?.pid)))
            } else if let record {
                context.console.line(
                    stop ? "stopped the server at \(record.url) (pid \(record.pid))" : "running at \(record.url) (pid \(record.pid))")
            } else {
                context.console.line("no server running")
            }
            return
        }
        if let record = ServerRecord.running(paths.record) {
            throw LsmError(.user, "a server already runs at \(record.url) (pid \(record.pid))", hint: "git lsm serve --stop stops it")
        }
        var configuration = ServerConfiguration(database: try databaseLocation(paths: paths, workspace: workspace))
        configuration.host = host
        configuration.port = port ?? ServerRecord.read(paths.record)?.port ?? 0
        configuration.tlsCertificatePath = tlsCert
        configuration.tlsKeyPath = tlsKey
        configuration.insecure = insecure
        configuration.allowedOrigins = allowedOrigins
        configuration.conformanceEcho = conformanceEcho
        if !ServerConfiguration.isLoopback(host) && tlsCert == nil && insecure {
            context.console.errorLine("warning: serving plain HTTP on \(host): tokens and messages cross the network unencrypted")
        }
        let server = try await ReviewServer(
            configuration: configuration, repositoryPath: repository.workDirectory ?? repository.gitDirectory, secretFile: paths.secret,
            environment: workspace.environment)
        let scheme = configuration.usesTLS ? "https" : "http"
        let hostInURL = host.contains(":") ? "[\(host)]" : host
        let console = context.console
        let pid = getpid()
        // The record names the store (`review` writes invites there) but never holds a password.
        let database = Self.withoutPassword(configuration.database)
        do {
            try await server.run(handleSignals: true) { port in
                let url = "\(scheme)://\(hostInURL):\(port)"
                do {
                    try ServerRecord(url: url, pid: pid, host: host, port: port, database: database, startedAt: Date()).write(
                        to: paths.record)
                } catch {
                    console.errorLine("error: \(error.localizedDescription)")
                }
                console.line("serving \(url) (pid \(pid))")
            }
        } catch {
            throw LsmError(.user, "the server stopped", cause: "\(error)")
        }
        if ServerRecord.read(paths.record)?.pid == pid { try? FileManager.default.removeItem(atPath: paths.record) }
    }

    private func databaseLocation(paths: ServerPaths, workspace: Workspace) throws(LsmError) -> String {
        if database == "sqlite" { return paths.database }
        if RoomStores.isPostgres(database) { return database }
        let path = database.hasPrefix("sqlite:") ? String(database.dropFirst("sqlite:".count)) : database
        return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: workspace.directory, isDirectory: true)).standardizedFileURL.path
    }

    /// `url` with its password removed, if it has one.
    static func withoutPassword(_ url: String) -> String {
        guard RoomStores.isPostgres(url), var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = nil
        return components.string ?? url
    }

    struct ServeStatus: Encodable {
        var running: Bool
        var url: String?
        var pid: Int32?
    }
}
