import Foundation

/// Reads a whole (small) file: the JSON documents some agents rewrite in place (Gemini CLI's legacy
/// chats, VS Code's chat sessions).
enum WholeFile {
    /// Larger documents are not read: they would take memory several times their size.
    static let maximumSize = 256 << 20

    /// The file's bytes; the error names the file and the system's reason.
    static func read(_ path: String) throws(TranscriptReadError) -> [UInt8] {
        var info = stat()
        if stat(path, &info) == 0, Int(info.st_size) > maximumSize {
            throw TranscriptReadError(path: path, message: "larger than \(maximumSize >> 20) MB, not read")
        }
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw TranscriptReadError(path: path, message: (error as NSError).localizedDescription)
        }
    }
}
