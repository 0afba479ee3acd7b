import ArgumentParser
import Foundation
import LsmCore
import LsmGit
import LsmServer

/// `git lsm share`: publish a local agent session into a branch's review room, live.
struct ShareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "share",
        abstract: "Share a local agent session into a branch's review room and keep it live.",
        discussion: """
            Publishes the session (an id or a unique prefix, as git lsm show takes) into the room of \
            --branch (default: the current branch) as session events: agent, model, usage and cost, \
            context fill, health with its worst component, files touched and prompt titles. It updates \
            the room whenever the transcript changes, until Ctrl-C or SIGTERM, or until the session \
            stops running (a session that has already ended is published once). --transcript adds the \
            session's timeline text (prompts, compactions, errors; the newest 32 KiB), passed through \
            the secret redactor of git lsm export --redact; prompt titles and paths are redacted too. \
            The review server is started in the background when none runs. lsm gets into the room as \
            an admin by minting a one-use admin invite valid for a minute in the room store under the \
            common dir and redeeming it over loopback like a browser; the invite never leaves the \
            process, and the member it makes shows in git lsm review --list (revoking it ends the share).
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The session: its id or a unique prefix.", valueName: "session"))
    var session: String

    @Option(help: ArgumentHelp("The branch whose room to share into (default: the current branch).", valueName: "branch"))
    var branch: String?

    @Flag(help: "Also share the session's timeline text (prompts, compactions, errors), redacted.")
    var transcript = false

    @Option(help: ArgumentHelp("Seconds between looks at the session.", valueName: "seconds"))
    var interval = 1.0

    func run() async throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let repository = try workspace.openRepository()
        guard interval >= 0.1 && interval <= 60 else { throw LsmError(.user, "--interval must be between 0.1 and 60 seconds") }
        let paths = ServerPaths(commonDirectory: repository.commonDirectory)
        let room = try ReviewCommand.roomName(branch: branch, repository: repository)
        let record = try ReviewCommand.runningServer(repository: repository, paths: paths, workspace: workspace)
        let name =
            (try? repository.config(environment: workspace.environment).userIdentity()?.name) ?? workspace.environment["USER"] ?? "lsm"
        let sharer = SessionSharer(
            workspace: workspace, paths: paths, serverURL: record.url, repositoryRoot: repository.workDirectory)
        let stop = SessionSharer.StopFlag()
        var sources: [DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.stop() }
            source.resume()
            sources.append(source)
        }
        defer {
            for source in sources { source.cancel() }
        }
        let console = context.console
        let json = global.json
        let report = try await sharer.run(
            SessionSharer.Options(
                session: session, room: room, name: name, transcript: transcript, interval: .milliseconds(Int(interval * 1000))),
            stop: stop
        ) { shared in
            guard !json else { return }
            let usage = shared.usage.map { "\($0.total) tokens" } ?? "usage not recorded"
            let fill = shared.contextFill.map { " · context \(Int(($0 * 100).rounded()))%" } ?? ""
            console.errorLine(
                "\(shared.ended ? "final update" : "update"): \(usage)\(fill) · health \(shared.health.score) \(shared.health.status)")
        }
        if json {
            console.line(try JSONOutput.encode(report))
        } else {
            let why = report.reason == "session-ended" ? "the session ended" : "stopped"
            console.line(
                "shared \(report.agent) session \(report.session) into \(report.room) at \(report.url): \(report.updates) updates (\(why))")
        }
    }
}
