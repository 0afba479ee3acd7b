import Foundation

/// Reads a whole (small) file: the JSON documents some agents rewrite in place (Gemini CLI's legacy
/// chats, VS Code's chat sessions).
enum WholeFile {
    /// The file's bytes; the error names the file and the system's reason.
    static func read(_ path: String) throws(TranscriptReadError) -> [UInt8] {
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw TranscriptReadError(path: path, message: (error as NSError).localizedDescription)
        }
    }
}
