import Foundation
import LsmGit

/// lsm's settings from git config (`lsm.*`, repository then global, `git -c` winning), validated.
public struct Settings: Sendable, Equatable {
    /// `lsm.color`, else `color.ui`; `nil` when neither is set.
    public var color: ColorMode?
    /// `lsm.hooks.window`: how long after its last activity a session still counts as at work on a
    /// commit (minutes in git config; default 30).
    public var hookWindow: TimeInterval
    /// `lsm.hooks.trailerOnMerge`: whether `--trailer` also tags merge and squash messages.
    public var trailerOnMerge: Bool

    public static let defaultHookWindow: TimeInterval = 30 * 60

    public init(color: ColorMode? = nil, hookWindow: TimeInterval = Settings.defaultHookWindow, trailerOnMerge: Bool = false) {
        self.color = color
        self.hookWindow = hookWindow
        self.trailerOnMerge = trailerOnMerge
    }

    /// Reads the settings visible in `workspace`: `repository`'s config when the command runs in one
    /// (pass what `Workspace.openRepositoryIfPresent()` returned), else the user's. A value lsm cannot
    /// use is an error naming the key and the values it takes.
    public static func load(in workspace: Workspace, repository: Repository?) throws(LsmError) -> Settings {
        let config: GitConfig
        do {
            if let repository {
                config = try repository.config(environment: workspace.environment)
            } else {
                config = try GitConfig.userDefault(environment: workspace.environment)
            }
        } catch {
            throw LsmError.unreadableConfig(error)
        }
        return Settings(
            color: try color(from: config), hookWindow: try hookWindow(from: config),
            trailerOnMerge: try value("lsm.hooks.trailerOnMerge", hint: "use true or false") { (key) throws(GitError) in
                try config.bool(key)
            } ?? false)
    }

    private static func hookWindow(from config: GitConfig) throws(LsmError) -> TimeInterval {
        let key = "lsm.hooks.window"
        guard
            let minutes = try value(
                key, hint: "give minutes, e.g. git config \(key) 30", { (key) throws(GitError) in try config.integer(key) })
        else {
            return defaultHookWindow
        }
        guard minutes > 0 else { throw LsmError(.user, "bad value '\(minutes)' for \(key)", hint: "give a positive number of minutes") }
        return TimeInterval(minutes) * 60
    }

    private static func value<T>(_ key: String, hint: String, _ read: (String) throws(GitError) -> T?) throws(LsmError) -> T? {
        do {
            return try read(key)
        } catch {
            throw LsmError(.user, error.message, hint: hint)
        }
    }

    private static func color(from config: GitConfig) throws(LsmError) -> ColorMode? {
        for key in ["lsm.color", "color.ui"] {
            let value: String?
            do { value = try config.string(key) } catch { throw LsmError(.user, "cannot read \(key)", cause: error.message) }
            guard let value else { continue }
            guard let mode = ColorMode(configValue: value) else {
                throw LsmError(.user, "bad value '\(value)' for \(key)", hint: "use auto, always or never: git config \(key) auto")
            }
            return mode
        }
        return nil
    }
}
