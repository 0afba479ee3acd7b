import Clibgit2

extension Repository {
    /// Every value of `key` in this repository's own config file (`.git/config`), in file order.
    public func localConfigValues(_ key: String) throws(GitError) -> [String] {
        try withLocalConfig { (config) throws(GitError) -> [String] in
            var iterator: OpaquePointer?
            let result = git_config_multivar_iterator_new(&iterator, config, key, nil)
            if result == GIT_ENOTFOUND.rawValue { return [] }
            try GitError.check(result, "git_config_multivar_iterator_new")
            defer { git_config_iterator_free(iterator) }
            var values: [String] = []
            var entry: UnsafeMutablePointer<git_config_entry>?
            while true {
                let next = git_config_next(&entry, iterator)
                if next == GIT_ITEROVER.rawValue { break }
                try GitError.check(next, "git_config_next")
                if let value = entry?.pointee.value { values.append(String(cString: value)) }
            }
            return values
        }
    }

    /// Adds one more value of the multi-valued `key` to this repository's config file.
    public func addLocalConfigValue(_ key: String, _ value: String) throws(GitError) {
        try withLocalConfig { (config) throws(GitError) in
            // A pattern that matches no value appends instead of replacing.
            try GitError.check(git_config_set_multivar(config, key, "^$^", value), "git_config_set_multivar")
        }
    }

    /// Removes the values of `key` equal to `value` from this repository's config file.
    public func removeLocalConfigValue(_ key: String, _ value: String) throws(GitError) {
        try withLocalConfig { (config) throws(GitError) in
            let result = git_config_delete_multivar(config, key, "^" + Self.regexEscaped(value) + "$")
            if result == GIT_ENOTFOUND.rawValue { return }
            try GitError.check(result, "git_config_delete_multivar")
        }
    }

    @discardableResult
    private func withLocalConfig<T>(_ body: (OpaquePointer) throws(GitError) -> T) throws(GitError) -> T {
        var config: OpaquePointer?
        try GitError.check(git_repository_config(&config, pointer), "git_repository_config")
        defer { git_config_free(config) }
        var local: OpaquePointer?
        try GitError.check(git_config_open_level(&local, config, GIT_CONFIG_LEVEL_LOCAL), "git_config_open_level")
        defer { git_config_free(local) }
        guard let local else { throw GitError(code: .notFound, message: "no local config", function: "git_config_open_level") }
        return try body(local)
    }

    private static func regexEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if "\\^$.|?*+()[]{}".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
