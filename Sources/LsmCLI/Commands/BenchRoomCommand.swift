import ArgumentParser
import Foundation
import LsmCore
import LsmServer

/// `lsm bench-room`: the room benchmark's load generator and its yardstick server, driven by
/// scripts/bench/room_bench.py (hidden).
struct BenchRoomCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-room",
        abstract: "Load a review room with WebSocket clients, or serve the trivial broadcast yardstick.",
        shouldDisplay: false,
        subcommands: [Load.self, Trivial.self])

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Connect N clients to one room (one sender per ten) and measure broadcast latency and deliveries; prints JSON.")

        @Option(help: "The server's base URL (http://host:port).")
        var url: String

        @Option(help: "lsm (join with --invite, hello, chat) or plain (every frame is a message).")
        var dialect = "lsm"

        @Option(help: "An invite with enough uses for one member per ten clients (lsm dialect).")
        var invite: String?

        @Option(help: "The room.")
        var room = "main"

        @Option(help: "Clients.")
        var clients = 100

        @Option(help: "Messages per second in, over all senders; omit for saturation (closed loop).")
        var rate: Double?

        @Option(help: "Messages each sender keeps in flight at saturation.")
        var window = 2

        @Option(help: "Seconds measured.")
        var seconds = 10.0

        @Option(help: "The server's pid, to measure its memory per idle connection.")
        var serverPid: Int32?

        @Option(help: "Event loop threads for the clients (default: one per core).")
        var threads: Int?

        func run() async throws {
            guard let dialect = RoomLoadGenerator.Dialect(rawValue: dialect) else { throw ValidationError("--dialect is lsm or plain") }
            guard clients >= 1, seconds > 0, window >= 1, (threads ?? 1) >= 1 else {
                throw ValidationError("--clients, --seconds, --window and --threads must be positive")
            }
            var options = RoomLoadGenerator.Options(
                url: url, dialect: dialect, invite: invite, clients: clients, rate: rate, seconds: seconds, serverPID: serverPid)
            options.room = room
            options.window = window
            if let threads { options.threads = threads }
            let result = try await RoomLoadGenerator(options: options).run()
            CommandContext.current.console.line(try JSONOutput.encode(result))
        }
    }

    struct Trivial: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve a bare SwiftNIO WebSocket server that sends every text frame to every connection.")

        @Option(help: "The port (0: any); the bound port is printed as `port N`.")
        var port = 0

        func run() async throws {
            let console = CommandContext.current.console
            try await TrivialBroadcastServer.run(host: "127.0.0.1", port: port) { port in console.line("port \(port)") }
        }
    }
}
