import Clibgit2
import Foundation

/// Process-wide libgit2 set-up, done once before the first repository is opened.
///
/// libgit2 does not read git's environment the way the git CLI does; this applies the parts lsm must
/// honour so that it sees the same configuration as `git` run in the same place:
/// `GIT_CONFIG_NOSYSTEM` and `GIT_CONFIG_GLOBAL` (the global file is added per repository, see
/// `Repository.config()`).
enum Libgit2 {
    private static let initialized: Bool = {
        git_libgit2_init()
        // Trees over 4 KiB are not cached by default, and a notes tree is read for every note looked
        // up: 100 commits of `git lsm log` inflated the same 14 KB tree 100 times.
        _ = lsm_git_set_cache_object_limit(GIT_OBJECT_TREE, 1 << 20)
        let environment = ProcessInfo.processInfo.environment
        if environment["GIT_CONFIG_GLOBAL"] != nil {
            // The file named by GIT_CONFIG_GLOBAL replaces ~/.gitconfig and the XDG file.
            _ = lsm_git_set_search_path(GIT_CONFIG_LEVEL_GLOBAL, "")
            _ = lsm_git_set_search_path(GIT_CONFIG_LEVEL_XDG, "")
        }
        if let value = environment["GIT_CONFIG_NOSYSTEM"], GitConfig.parseBool(value) == true {
            _ = lsm_git_set_search_path(GIT_CONFIG_LEVEL_SYSTEM, "")
        }
        return true
    }()

    /// Initializes libgit2 on first use; cheap afterwards.
    static func ensureInitialized() {
        _ = initialized
    }
}
