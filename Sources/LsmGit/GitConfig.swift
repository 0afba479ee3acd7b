import Clibgit2
import Foundation

/// A read-only snapshot of git configuration, as `git config` would see it in the same place: the
/// system, global and repository files, then `git -c` values (`GIT_CONFIG_PARAMETERS`,
/// `GIT_CONFIG_COUNT`), which win.
public final class GitConfig {
    private let snapshot: OpaquePointer
    private let overrides: [String: String]

    init(snapshot: OpaquePointer, environment: [String: String]) {
        self.snapshot = snapshot
        self.overrides = Self.commandLineValues(environment)
    }

    deinit {
        git_config_free(snapshot)
    }

    /// The configuration outside any repository: system, global and `git -c` values.
    public static func userDefault(environment: [String: String] = ProcessInfo.processInfo.environment) throws(GitError) -> GitConfig {
        Libgit2.ensureInitialized()
        var config: OpaquePointer?
        try GitError.check(git_config_open_default(&config), "git_config_open_default")
        defer { git_config_free(config) }
        try addGlobalFile(to: config, repository: nil, environment: environment)
        var snapshot: OpaquePointer?
        try GitError.check(git_config_snapshot(&snapshot, config), "git_config_snapshot")
        guard let snapshot else { throw GitError(code: .other(-1), message: "no config snapshot", function: "git_config_snapshot") }
        return GitConfig(snapshot: snapshot, environment: environment)
    }

    /// The value of `key` (`section.name` or `section.subsection.name`), or `nil` when unset.
    public func string(_ key: String) throws(GitError) -> String? {
        if let value = overrides[Self.normalized(key)] { return value }
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        let result = git_config_get_string_buf(&buffer, snapshot, key)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try GitError.check(result, "git_config_get_string_buf")
        guard let text = buffer.ptr else { return "" }
        return String(cString: text)
    }

    /// The boolean value of `key` as git reads it (`true`/`yes`/`on`/`1`, `false`/`no`/`off`/`0`);
    /// throws when the value is not a boolean.
    public func bool(_ key: String) throws(GitError) -> Bool? {
        guard let text = try string(key) else { return nil }
        guard let value = Self.parseBool(text) else {
            throw GitError(code: .invalidSpec, message: "bad boolean config value '\(text)' for '\(key)'", function: "GitConfig.bool")
        }
        return value
    }

    /// The integer value of `key`, with git's `k`, `m` and `g` suffixes; throws when it is not one.
    public func integer(_ key: String) throws(GitError) -> Int? {
        guard let text = try string(key) else { return nil }
        guard let value = Self.parseInteger(text) else {
            throw GitError(code: .invalidSpec, message: "bad numeric config value '\(text)' for '\(key)'", function: "GitConfig.integer")
        }
        return value
    }

    /// Every set key starting with `prefix` (e.g. `lsm.`), lowercased as git lists them, with its last
    /// value.
    public func entries(withPrefix prefix: String) throws(GitError) -> [String: String] {
        var iterator: OpaquePointer?
        try GitError.check(git_config_iterator_new(&iterator, snapshot), "git_config_iterator_new")
        defer { git_config_iterator_free(iterator) }
        var found: [String: String] = [:]
        let lowered = prefix.lowercased()
        var entry: UnsafeMutablePointer<git_config_entry>?
        while true {
            let result = git_config_next(&entry, iterator)
            if result == GIT_ITEROVER.rawValue { break }
            try GitError.check(result, "git_config_next")
            guard let entry, let name = entry.pointee.name else { continue }
            let key = String(cString: name)
            if key.lowercased().hasPrefix(lowered) {
                found[key] = entry.pointee.value.map { String(cString: $0) } ?? ""
            }
        }
        for (key, value) in overrides where key.lowercased().hasPrefix(lowered) { found[key] = value }
        return found
    }

    /// `user.name` and `user.email`, when both are set.
    public func userIdentity() throws(GitError) -> (name: String, email: String)? {
        guard let name = try string("user.name"), let email = try string("user.email"), !name.isEmpty else { return nil }
        return (name, email)
    }

    static func addGlobalFile(to config: OpaquePointer?, repository: OpaquePointer?, environment: [String: String]) throws(GitError) {
        guard let path = environment["GIT_CONFIG_GLOBAL"], !path.isEmpty, path != "/dev/null",
            FileManager.default.fileExists(atPath: path)
        else { return }
        // `force`: replace whatever global file libgit2 found itself, as GIT_CONFIG_GLOBAL does for git.
        try GitError.check(git_config_add_file_ondisk(config, path, GIT_CONFIG_LEVEL_GLOBAL, repository, 1), "git_config_add_file_ondisk")
    }

    /// git's spelling of booleans; `nil` when `text` is not one.
    static func parseBool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on", "1": true
        case "false", "no", "off", "0", "": false
        default: nil
        }
    }

    static func parseInteger(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let multipliers: [Character: Int] = ["k": 1 << 10, "m": 1 << 20, "g": 1 << 30]
        if let last = trimmed.last, let multiplier = multipliers[last] {
            return Int(trimmed.dropLast()).map { $0 * multiplier }
        }
        return Int(trimmed)
    }

    /// Section and variable names are case-insensitive; a subsection is not.
    static func normalized(_ key: String) -> String {
        var parts = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2 else { return key.lowercased() }
        parts[0] = parts[0].lowercased()
        parts[parts.count - 1] = parts[parts.count - 1].lowercased()
        return parts.joined(separator: ".")
    }

    /// The `git -c key=value` pairs git hands to external commands through the environment.
    static func commandLineValues(_ environment: [String: String]) -> [String: String] {
        var values: [String: String] = [:]
        if let parameters = environment["GIT_CONFIG_PARAMETERS"] {
            for pair in parseConfigParameters(parameters) { values[normalized(pair.key)] = pair.value }
        }
        if let countText = environment["GIT_CONFIG_COUNT"], let count = Int(countText), count > 0 {
            for index in 0..<count {
                guard let key = environment["GIT_CONFIG_KEY_\(index)"] else { continue }
                values[normalized(key)] = environment["GIT_CONFIG_VALUE_\(index)"] ?? ""
            }
        }
        return values
    }

    /// Parses git's shell-quoted list: `'a.b'='v' 'c.d'` (new form) or `'a.b=v'` (old form).
    static func parseConfigParameters(_ text: String) -> [(key: String, value: String)] {
        var words: [String] = []
        var current = ""
        var inQuote = false
        var hasWord = false
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if inQuote {
                if character == "'" { inQuote = false } else { current.append(character) }
            } else if character == "'" {
                inQuote = true
                hasWord = true
            } else if character == "\\", text.index(after: index) < text.endIndex {
                index = text.index(after: index)
                current.append(text[index])
            } else if character == " " {
                if hasWord { words.append(current) }
                current = ""
                hasWord = false
            } else {
                current.append(character)
                hasWord = true
            }
            index = text.index(after: index)
        }
        if hasWord { words.append(current) }
        return words.compactMap { word in
            // New form: the quoted key is followed by `=` and the quoted value, giving "key=value" after
            // unquoting; old form is the same string. Keys cannot contain `=`, so split at the first one.
            guard let equals = word.firstIndex(of: "=") else { return (word, "true") }
            return (String(word[..<equals]), String(word[word.index(after: equals)...]))
        }
    }
}

extension Repository {
    /// A snapshot of the configuration this repository sees.
    public func config(environment: [String: String] = ProcessInfo.processInfo.environment) throws(GitError) -> GitConfig {
        var config: OpaquePointer?
        try GitError.check(git_repository_config(&config, pointer), "git_repository_config")
        defer { git_config_free(config) }
        if !addedGlobalConfigFile {
            try GitConfig.addGlobalFile(to: config, repository: pointer, environment: environment)
            addedGlobalConfigFile = true
        }
        var snapshot: OpaquePointer?
        try GitError.check(git_config_snapshot(&snapshot, config), "git_config_snapshot")
        guard let snapshot else { throw GitError(code: .other(-1), message: "no config snapshot", function: "git_config_snapshot") }
        return GitConfig(snapshot: snapshot, environment: environment)
    }
}
