import Foundation
import LsmGit

/// One change to a comment thread. A thread is the set of its operations; they are stored in git
/// (one pack per commit under `refs/lsm/comments/<thread>`), merged by union, and applied in order of
/// Lamport clock, then id. An operation's id is the hash of its content, so replaying one is harmless.
public struct CommentOperation: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case create, reply, edit, resolve, reopen, react, unreact, delete
    }

    public struct Author: Codable, Sendable, Equatable, Hashable {
        public var name: String
        public var email: String

        public init(name: String, email: String) {
            self.name = name
            self.email = email
        }
    }

    public var kind: Kind
    /// Lamport clock: greater than the clock of every operation its writer had seen.
    public var clock: Int
    public var author: Author
    public var at: Date
    /// Random bytes, so two identical replies are still two operations.
    public var nonce: String
    /// `create`: where the thread points.
    public var anchor: Anchor?
    /// `create`, `reply`, `edit`: the text.
    public var body: String?
    /// `edit`, `react`, `unreact`, `delete`: the comment (the id of its `create` or `reply`).
    public var target: String?
    /// `react`, `unreact`.
    public var emoji: String?
    /// The id of an operation read from a pack: the hash of its bytes as stored there.
    var storedID: String?

    enum CodingKeys: String, CodingKey {
        case kind, clock, author, at, nonce, anchor, body, target, emoji
    }

    public init(
        kind: Kind, clock: Int, author: Author, at: Date, anchor: Anchor? = nil, body: String? = nil, target: String? = nil,
        emoji: String? = nil, nonce: String = CommentOperation.makeNonce()
    ) {
        self.kind = kind
        self.clock = clock
        self.author = author
        // Whole milliseconds, so the time reads back as written.
        self.at = Date(timeIntervalSince1970: (at.timeIntervalSince1970 * 1000).rounded() / 1000)
        self.nonce = nonce
        self.anchor = anchor
        self.body = body
        self.target = target
        self.emoji = emoji
    }

    public static func makeNonce() -> String {
        (0..<8).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    /// The operation's canonical JSON: sorted keys, no optional key left out or added.
    public func canonicalJSON() -> Data {
        (try? Self.encoder.encode(self)) ?? Data()
    }

    /// The operation's id: the hash (as a git blob id) of its JSON as stored — its canonical JSON
    /// for a new operation.
    public var id: String {
        storedID ?? Self.hash(canonicalJSON())
    }

    static func hash(_ data: Data) -> String {
        (try? ObjectID.blob(hashing: data).hex) ?? ""
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        }
        return encoder
    }()

    static let decoder = ISOTimestamp.jsonDecoder()

    /// Decodes a pack: a JSON array with one operation per line (JSON text has no raw line breaks
    /// inside values). Each operation's id is the hash of its line's bytes. Operations that do not
    /// decode are skipped, since packs come from other clones.
    static func decodePack(_ data: Data) -> [CommentOperation] {
        var text = Substring(String(decoding: data, as: UTF8.self)).trimmingCharacters(in: .whitespacesAndNewlines)[...]
        guard text.hasPrefix("["), text.hasSuffix("]") else { return [] }
        text = text.dropFirst().dropLast()
        return text.split(separator: "\n").compactMap { line in
            var json = line.trimmingCharacters(in: .whitespaces)[...]
            if json.hasSuffix(",") { json = json.dropLast() }
            guard !json.isEmpty else { return nil }
            let bytes = Data(json.utf8)
            guard var operation = try? decoder.decode(CommentOperation.self, from: bytes) else { return nil }
            operation.storedID = hash(bytes)
            return operation
        }
    }

    static func encodePack(_ operations: [CommentOperation]) -> Data {
        var data = Data("[".utf8)
        for (index, operation) in operations.enumerated() {
            if index > 0 { data.append(Data(",\n".utf8)) }
            data.append(operation.canonicalJSON())
        }
        data.append(Data("]\n".utf8))
        return data
    }
}
