import Foundation
import LsmStore

/// The Cursor CLI's chat stores, `chats/<md5 of the folder>/<session>/store.db`: lsm reads the
/// session's header (`meta` row `0`: hex-encoded JSON with `agentId`, `name`, `createdAt`,
/// `lastUsedModel`) for its title, start and model. The messages, a Merkle tree of blobs without
/// times, are read from the CLI's agent transcripts instead (`CursorAgentTranscriptSource`).
struct CursorChatStoreSource: TranscriptSource {
    var agent: AgentKind { .cursor }
    var isAppendOnly: Bool { false }

    func reads(_ path: String) -> Bool { path.hasSuffix("/store.db") }

    func files(_ locator: TranscriptLocator) -> [TranscriptFile] { locator.cursorChatStoreFiles() }

    /// The session folder's name.
    func fallbackSessionID(for path: String) -> String {
        ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
    }

    func read(_ file: TranscriptFile, from offset: UInt64, state: inout ReaderState, into batch: inout TranscriptBatch)
        throws(TranscriptReadError) -> UInt64
    {
        let value: Data?
        do {
            let database = try ForeignDatabase(path: file.path)
            value = try database.hasTable("meta") ? database.value(in: "meta", key: "0") : nil
        } catch {
            throw TranscriptReadError(path: file.path, message: error.reason)
        }
        guard let value else { return file.size }
        batch.lines += 1
        guard let meta = Self.decode(value) else {
            batch.malformedLines += 1
            return file.size
        }
        let id = (meta["agentId"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? fallbackSessionID(for: file.path)
        batch.update(id) { facts in
            facts.title = (meta["name"] as? String).flatMap { $0.isEmpty ? nil : $0 }
            facts.model = (meta["lastUsedModel"] as? String).flatMap { $0.isEmpty ? nil : $0 }
            facts.saw(CursorJSON.date(meta["createdAt"]))
        }
        return file.size
    }

    /// The header's JSON, hex-encoded (or, should a version store it so, plain).
    static func decode(_ value: Data) -> [String: Any]? {
        if value.first == UInt8(ascii: "{") { return CursorJSON.object(value) }
        let digits = value.filter { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D) }
        guard digits.count % 2 == 0 else { return nil }
        var bytes = Data(capacity: digits.count / 2)
        var high: UInt8?
        for digit in digits {
            guard let nibble = Self.nibble(digit) else { return nil }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return CursorJSON.object(bytes)
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
