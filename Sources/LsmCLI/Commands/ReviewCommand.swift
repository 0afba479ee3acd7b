import ArgumentParser
import Foundation
import LsmCore
import LsmGit
import LsmServer

/// `git lsm review`: invite teammates into a branch's room.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Invite teammates to review a branch together; prints the join link.",
        discussion: """
            Starts the review server in the background when none runs (it outlives the terminal; \
            git lsm serve --stop stops it), creates an invite to the branch's room and prints the join \
            link, <url>/join#<invite>. The invite is 32 random bytes of which only a hash is stored; it \
            expires, has a number of uses and gives a role: viewer (reads, shows presence and cursors), \
            commenter (also chats, comments and reacts) or admin (also shares sessions). Whoever \
            redeems it gets a 15-minute access token for that room, refreshed while they stay. \
            --revoke takes a member's name, or an invite or member id (a prefix that fits only one does): revoking an \
            invite also revokes the members who joined with it, and their sockets close with 1008.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("The branch whose room to invite to (default: the current branch).", valueName: "branch"))
    var branch: String?

    @Option(help: ArgumentHelp("viewer, commenter or admin.", valueName: "role"))
    var role: String = "commenter"

    @Option(help: ArgumentHelp("How long the invite is valid: 30m, 1h, 7d…", valueName: "duration"))
    var expires = "24h"

    @Option(help: ArgumentHelp("How many people may join with the invite.", valueName: "n"))
    var uses = 10

    @Flag(help: "Open the link in the system browser when there is a display (xdg-open with DISPLAY or WAYLAND_DISPLAY set).")
    var open = false

    @Flag(help: "List invites and members instead.")
    var list = false

    @Option(help: ArgumentHelp("Revoke an invite or a member (id prefix or name).", valueName: "invite|member"))
    var revoke: String?

    func run() async throws {
        let context = CommandContext.current
        let workspace = global.workspace(in: context)
        let repository = try workspace.openRepository()
        let paths = ServerPaths(commonDirectory: repository.commonDirectory)
        let desk = try paths.inviteDesk(now: workspace.now)
        if list { return try printList(desk, context: context) }
        if let revoke {
            let revoked = try desk.revoke(revoke)
            if global.json {
                context.console.line(try JSONOutput.encode(["invites": revoked.invites, "members": revoked.members]))
            } else {
                for id in revoked.invites { context.console.line("revoked invite \(id)") }
                for id in revoked.members { context.console.line("revoked member \(id)") }
            }
            return
        }
        guard let role = Role(rawValue: role) else {
            throw LsmError(.user, "unknown role '\(role)'", hint: "use viewer, commenter or admin")
        }
        let lifetime = try Self.duration(expires)
        let room = try Self.roomName(branch: branch, repository: repository)
        let record = try Self.runningServer(repository: repository, paths: paths, workspace: workspace)
        let (token, invite) = try desk.create(room: room, role: role, lifetime: lifetime, uses: uses)
        let link = "\(record.url)/join#\(token)"
        if global.json {
            context.console.line(
                try JSONOutput.encode(
                    InviteOutput(
                        link: link, url: record.url, invite: token, id: invite.id, room: room, role: role.rawValue,
                        expiresAt: invite.expiresAt, uses: invite.maxUses)))
        } else {
            context.console.line(link)
            context.console.errorLine(
                "invite \(invite.id): \(role.rawValue) in \(room), \(invite.maxUses) use\(invite.maxUses == 1 ? "" : "s"), expires in \(expires)"
            )
        }
        if open {
            switch BrowserOpener.open(link, environment: workspace.environment) {
            case .opened(let program): context.console.errorLine("opened the link with \(program)")
            case .noDisplay:
                context.console.errorLine("no display (DISPLAY and WAYLAND_DISPLAY are unset): open the link in a browser yourself")
            case .failed(let program, let reason):
                context.console.errorLine("warning: \(program) failed: \(reason); open the link yourself")
            }
        }
    }

    /// The running server of this repository, started in the background when none runs.
    static func runningServer(repository: Repository, paths: ServerPaths, workspace: Workspace) throws(LsmError) -> ServerRecord {
        if let record = ServerRecord.running(paths.record) { return record }
        return try ServerLauncher.start(
            executable: ServerLauncher.currentExecutable(), directory: repository.workDirectory ?? repository.gitDirectory,
            arguments: [], environment: workspace.environment, paths: paths)
    }

    /// The room of `branch`, which must exist, or of the current branch.
    static func roomName(branch: String?, repository: Repository) throws(LsmError) -> String {
        if let branch {
            let exists = (try? repository.referenceTarget("refs/heads/\(branch)")) != nil
            guard exists else { throw LsmError(.user, "no branch '\(branch)'", hint: "git branch lists the branches") }
            return branch
        }
        guard let name = (try? repository.head())?.branchName else {
            throw LsmError(.user, "HEAD is not on a branch", hint: "pass --branch <branch>")
        }
        return name
    }

    private func printList(_ desk: InviteDesk, context: CommandContext) throws {
        let invites = try desk.invites()
        let members = try desk.members()
        if global.json {
            context.console.line(
                try JSONOutput.encode(
                    ListOutput(
                        invites: invites.map {
                            .init(
                                id: $0.id, room: $0.room, role: $0.role, createdAt: $0.createdAt, expiresAt: $0.expiresAt, uses: $0.uses,
                                maxUses: $0.maxUses, revoked: $0.revokedAt != nil)
                        },
                        members: members.map {
                            .init(
                                id: $0.id, name: $0.name, room: $0.room, role: $0.role, invite: $0.inviteID, joinedAt: $0.createdAt,
                                revoked: $0.revokedAt != nil)
                        })))
            return
        }
        if invites.isEmpty && members.isEmpty { return context.console.line("no invites") }
        let now = Date()
        for invite in invites {
            let state =
                invite.revokedAt != nil
                ? "revoked" : invite.expiresAt <= now ? "expired" : invite.uses >= invite.maxUses ? "used up" : "open"
            context.console.line("invite \(invite.id)  \(invite.room)  \(invite.role)  \(invite.uses)/\(invite.maxUses) used  \(state)")
        }
        for member in members {
            context.console.line(
                "member \(member.id)  \(member.name)  \(member.room)  \(member.role)\(member.revokedAt != nil ? "  revoked" : "")")
        }
    }

    /// `90s`, `30m`, `1h`, `7d` (or a number of seconds).
    static func duration(_ text: String) throws(LsmError) -> TimeInterval {
        let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]
        let invalid = LsmError(.user, "'\(text)' is not a duration", hint: "e.g. 30m, 1h, 7d")
        guard let last = text.last else { throw invalid }
        let (number, unit) = last.isNumber ? (text, 1.0) : (String(text.dropLast()), units[last] ?? 0)
        guard unit > 0, let value = Double(number), value > 0 else { throw invalid }
        return value * unit
    }

    struct InviteOutput: Encodable {
        var link: String
        var url: String
        var invite: String
        var id: String
        var room: String
        var role: String
        var expiresAt: Date
        var uses: Int
    }

    struct ListOutput: Encodable {
        struct Invite: Encodable {
            var id, room, role: String
            var createdAt, expiresAt: Date
            var uses, maxUses: Int
            var revoked: Bool
        }

        struct Member: Encodable {
            var id, name, room, role, invite: String
            var joinedAt: Date
            var revoked: Bool
        }

        var invites: [Invite]
        var members: [Member]
    }
}
