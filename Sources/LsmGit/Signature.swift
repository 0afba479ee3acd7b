import Clibgit2
import Foundation

/// Who made a commit or note, and when.
public struct Signature: Sendable, Equatable {
    public var name: String
    public var email: String
    public var date: Date
    /// The author's UTC offset in minutes.
    public var timeZoneOffsetMinutes: Int

    public init(name: String, email: String, date: Date = Date(), timeZoneOffsetMinutes: Int = 0) {
        self.name = name
        self.email = email
        self.date = date
        self.timeZoneOffsetMinutes = timeZoneOffsetMinutes
    }

    init(_ signature: UnsafePointer<git_signature>) {
        let value = signature.pointee
        self.name = value.name.map { String(cString: $0) } ?? ""
        self.email = value.email.map { String(cString: $0) } ?? ""
        self.date = Date(timeIntervalSince1970: TimeInterval(value.when.time))
        self.timeZoneOffsetMinutes = Int(value.when.offset)
    }

    /// Calls `body` with a libgit2 signature that lives for the duration of the call.
    func withGitSignature<T>(_ body: (UnsafePointer<git_signature>) throws(GitError) -> T) throws(GitError) -> T {
        var pointer: UnsafeMutablePointer<git_signature>?
        try GitError.check(
            git_signature_new(&pointer, name, email, git_time_t(date.timeIntervalSince1970), Int32(timeZoneOffsetMinutes)),
            "git_signature_new")
        guard let pointer else { throw GitError(code: .other(-1), message: "no signature", function: "git_signature_new") }
        defer { git_signature_free(pointer) }
        return try body(pointer)
    }
}
