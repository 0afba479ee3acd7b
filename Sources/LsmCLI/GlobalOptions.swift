import ArgumentParser
import Foundation
import LsmCore

/// Options every command accepts.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customShort("C"), help: ArgumentHelp("Run as if lsm was started in <path>.", valueName: "path"))
    var directories: [String] = []

    @Flag(help: "Print JSON instead of text, where the command has output (schema in docs/json.md).")
    var json = false

    @Option(help: ArgumentHelp("When to colour output: auto, always or never. NO_COLOR turns auto off.", valueName: "when"))
    var color: ColorMode?

    /// The workspace this invocation runs in: the context's, moved by every `-C` in turn (as git does).
    func workspace(in context: CommandContext) -> Workspace {
        var workspace = context.workspace
        for directory in directories where !directory.isEmpty {
            workspace.directory =
                URL(fileURLWithPath: directory, relativeTo: URL(fileURLWithPath: workspace.directory, isDirectory: true))
                .standardizedFileURL.path
        }
        return workspace
    }

    /// Output styling: `--color` when given, else `lsm.color` / `color.ui` from git config, else auto.
    func style(in context: CommandContext, settings: Settings, outputIsTerminal: Bool? = nil) -> Style {
        let mode = color ?? settings.color ?? .auto
        if let outputIsTerminal {
            return Style(enabled: mode.isEnabled(environment: context.workspace.environment, outputIsTerminal: outputIsTerminal))
        }
        return Style(
            enabled: mode.isEnabled(environment: context.workspace.environment, outputIsTerminal: context.console.outputIsTerminal))
    }
}
