import Clibgit2

/// The trailers of a commit message (`Key: value` lines in its last paragraph), as git reads them.
public enum MessageTrailers {
    /// Every trailer of `message`, in order.
    public static func parse(_ message: String) -> [(key: String, value: String)] {
        Libgit2.ensureInitialized()
        var array = git_message_trailer_array()
        guard git_message_trailers(&array, message) == 0 else { return [] }
        defer { git_message_trailer_array_free(&array) }
        guard let trailers = array.trailers else { return [] }
        return (0..<array.count).map { index in
            let trailer = trailers[index]
            return (trailer.key.map { String(cString: $0) } ?? "", trailer.value.map { String(cString: $0) } ?? "")
        }
    }
}
