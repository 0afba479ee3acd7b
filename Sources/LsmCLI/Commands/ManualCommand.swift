import ArgumentParser

/// `git lsm generate-manual`: prints the man page (`docs/git-lsm.1`) generated from the commands.
struct ManualCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-manual",
        abstract: "Print the git-lsm(1) man page in roff, generated from the commands.",
        shouldDisplay: false)

    func run() throws {
        CommandContext.current.console.writeOut(ManualPage(root: Lsm.self).render())
    }
}
