import Foundation

/// The environment for running the real `git` CLI in tests: no user or system configuration, a
/// fixed author and committer, fixed dates, and no prompts.
public enum HermeticGit {
    /// The author and committer every test commit has.
    public static let authorName = "Ada Tester"
    public static let authorEmail = "ada@example.com"
    /// 2026-01-01T00:00:00Z; each commit of a `TestRepository` is one minute later than the last.
    public static let baseDate = Date(timeIntervalSince1970: 1_767_225_600)

    /// A hermetic environment whose `HOME` is `home`.
    public static func environment(home: String) -> [String: String] {
        var environment: [String: String] = [
            "HOME": home,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            "GIT_CONFIG_GLOBAL": "/dev/null",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": authorName,
            "GIT_AUTHOR_EMAIL": authorEmail,
            "GIT_COMMITTER_NAME": authorName,
            "GIT_COMMITTER_EMAIL": authorEmail,
            "GIT_TERMINAL_PROMPT": "0",
            "LC_ALL": "C",
            "TZ": "UTC",
        ]
        environment["LSM_HOME"] = (home as NSString).appendingPathComponent("lsm-home")
        return environment
    }

    /// Makes this test process itself hermetic for libgit2, which reads the user's and system's git
    /// config: call before opening any repository. Safe to call from many tests; it runs once.
    public static func isolateProcess() {
        _ = isolated
    }

    private static let isolated: Bool = {
        setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1)
        setenv("GIT_CONFIG_NOSYSTEM", "1", 1)
        return true
    }()
}
