import LsmGit

/// lsm's settings from git config (`lsm.*`, repository then global, `git -c` winning), validated.
public struct Settings: Sendable, Equatable {
    /// `lsm.color`, else `color.ui`; `nil` when neither is set.
    public var color: ColorMode?

    public init(color: ColorMode? = nil) {
        self.color = color
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
        return Settings(color: try color(from: config))
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
