import Foundation

/// A failure of the local index database, in terms the user can act on.
///
/// GRDB's own errors never leave LsmStore: they are turned into these.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// The database file could not be opened or is not a database lsm can use.
        case cannotOpen
        /// A query or write failed.
        case queryFailed
    }

    public let kind: Kind
    /// The database file.
    public let path: String
    /// SQLite's or the file system's reason.
    public let reason: String

    public init(kind: Kind, path: String, reason: String) {
        self.kind = kind
        self.path = path
        self.reason = reason
    }

    public var description: String {
        switch kind {
        case .cannotOpen: "cannot open the index database \(path): \(reason)"
        case .queryFailed: "the index database \(path) failed: \(reason)"
        }
    }
}
