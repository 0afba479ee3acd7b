import Foundation

/// Where the per-user index lives: `$LSM_HOME`, else `$XDG_DATA_HOME/lsm`, else `~/.local/share/lsm`.
public struct IndexLocation: Sendable, Equatable {
    /// The folder holding the index and the user's lsm files (such as `pricing.json`).
    public let home: URL

    public init(home: URL) {
        self.home = home
    }

    /// Resolves the folder from the environment, as documented in the README.
    public init(environment: [String: String]) {
        if let home = environment["LSM_HOME"], !home.isEmpty {
            self.home = URL(fileURLWithPath: home, isDirectory: true)
        } else if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") {
            self.home = URL(fileURLWithPath: data, isDirectory: true).appendingPathComponent("lsm", isDirectory: true)
        } else {
            let user =
                environment["HOME"].map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? FileManager.default.homeDirectoryForCurrentUser
            self.home = user.appendingPathComponent(".local/share/lsm", isDirectory: true)
        }
    }

    /// The SQLite file of the index.
    public var databaseFile: URL { home.appendingPathComponent("index.sqlite") }
}
