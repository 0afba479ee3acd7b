/// When to colour output: `--color=auto|always|never`, `lsm.color`, `color.ui`, as git spells them.
public enum ColorMode: String, CaseIterable, Sendable {
    case auto
    case always
    case never

    /// Reads a config value the way git reads `color.ui`: `true` means `auto`, `false` means `never`.
    public init?(configValue: String) {
        switch configValue.lowercased() {
        case "auto", "true", "yes", "on", "1": self = .auto
        case "always": self = .always
        case "never", "false", "no", "off", "0": self = .never
        default: return nil
        }
    }

    /// Whether to colour output, given the environment and whether standard output is a terminal.
    /// `NO_COLOR` (any non-empty value) and `TERM=dumb` turn `auto` off; in `auto`, colour needs a
    /// terminal or a pager git started for us (`GIT_PAGER_IN_USE`).
    public func isEnabled(environment: [String: String], outputIsTerminal: Bool) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto:
            if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
            if environment["TERM"] == "dumb" { return false }
            return outputIsTerminal || environment["GIT_PAGER_IN_USE"] == "true"
        }
    }
}
