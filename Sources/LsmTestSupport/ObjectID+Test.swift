import Foundation
import LsmGit

extension ObjectID {
    /// Parses an id printed by the `git` CLI in a test, failing the test when it is not one.
    public static func parse(_ hex: String) throws -> ObjectID {
        guard let id = ObjectID(hex: hex.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TestFailure("not an object id: \(hex)")
        }
        return id
    }
}
