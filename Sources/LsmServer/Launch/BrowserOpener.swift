import Foundation

/// Opens a link in the user's browser when there is a display to show it on (`git lsm review
/// --open`): `xdg-open` under X11 or Wayland, `open` on macOS. On a headless machine (SSH, CI)
/// it says so instead of starting a text browser or failing somewhere out of sight.
public enum BrowserOpener {
    public enum Outcome: Equatable, Sendable {
        /// The opener was started with this program.
        case opened(program: String)
        /// There is no display; the link has to be opened elsewhere.
        case noDisplay
        /// The opener could not be started.
        case failed(program: String, reason: String)
    }

    /// The program that opens links here, or nil without a display.
    public static func program(environment: [String: String]) -> String? {
        #if os(macOS)
            return "open"
        #else
            let display = ["DISPLAY", "WAYLAND_DISPLAY"].contains { !(environment[$0] ?? "").isEmpty }
            return display ? "xdg-open" : nil
        #endif
    }

    /// Starts the opener for `link` without waiting for it (a browser may keep running).
    public static func open(_ link: String, environment: [String: String]) -> Outcome {
        guard let program = program(environment: environment) else { return .noDisplay }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program, link]
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return .failed(program: program, reason: error.localizedDescription) }
        return .opened(program: program)
    }
}
