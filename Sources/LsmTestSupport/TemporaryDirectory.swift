import Foundation

/// A fresh directory under the system's temporary folder, removed when the value goes away.
public final class TemporaryDirectory: Sendable {
    /// The directory's absolute path, with symbolic links resolved (so it compares equal to what git
    /// and libgit2 report).
    public let path: String

    public init(_ label: String = "lsm-test") throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory(), isDirectory: true)
            .appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.resolvingSymlinksInPath().path
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The path of `relative` inside the directory.
    public func child(_ relative: String) -> String {
        (path as NSString).appendingPathComponent(relative)
    }
}
