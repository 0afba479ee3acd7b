import Foundation

/// Removes secrets from exported text (`git lsm export --redact`), by the rules in docs/export.md:
/// provider keys and tokens by their documented shapes, private key blocks, passwords in URLs, bearer
/// tokens and `.env`-style assignments. Each secret becomes `[REDACTED:<rule>]`; where a rule keeps a
/// name (`DB_PASSWORD=`, `https://user:`, `Bearer `) only the value goes. Shapes are anchored and
/// specific, so hashes, UUIDs, git ids and base64 of ordinary text survive.
///
/// Replacements hold no quote or backslash, so redacting a JSON line leaves it valid JSON.
public struct SecretRedactor: Sendable {
    struct Rule: @unchecked Sendable {
        let name: String
        /// `nil` only if the pattern did not compile (a test checks every one does).
        let expression: NSRegularExpression?
        /// The capture group that is the secret; 0 for the whole match.
        let secretGroup: Int
        /// Strings every match contains: a text without any of them skips the expression, which
        /// keeps redacting a 100 MB transcript to seconds.
        let triggers: [Trigger]
    }

    /// A trigger's bytes, looked for by the one of them least common in transcripts (`memchr` stops
    /// at every `e` of English text, rarely at a `J`).
    struct Trigger {
        let bytes: [UInt8]
        let anchor: Int

        init(_ text: String) {
            bytes = Array(text.utf8)
            var rarest = 0
            for index in bytes.indices where Self.rarity(bytes[index]) > Self.rarity(bytes[rarest]) { rarest = index }
            anchor = rarest
        }

        /// How seldom a byte appears in a transcript, roughly: punctuation and digits least, then
        /// the common lowercase letters, the rarer ones, capitals.
        static func rarity(_ byte: UInt8) -> Int {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): 5
            case UInt8(ascii: "j"), UInt8(ascii: "k"), UInt8(ascii: "q"), UInt8(ascii: "v"), UInt8(ascii: "x"), UInt8(ascii: "z"): 5
            case UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "g"), UInt8(ascii: "m"), UInt8(ascii: "p"), UInt8(ascii: "w"),
                UInt8(ascii: "y"):
                4
            case UInt8(ascii: "c"), UInt8(ascii: "d"), UInt8(ascii: "h"), UInt8(ascii: "l"), UInt8(ascii: "u"): 3
            case UInt8(ascii: "a")...UInt8(ascii: "z"): 2
            case UInt8(ascii: "/"), UInt8(ascii: "0")...UInt8(ascii: "9"): 1
            default: 0
            }
        }

        /// Whether the bytes occur in `text`.
        func occurs(in text: UnsafeBufferPointer<UInt8>) -> Bool { firstOffset(in: text) != nil }

        /// Where the bytes first occur in `text` at or after `offset`.
        func firstOffset(in text: UnsafeBufferPointer<UInt8>, from offset: Int = 0) -> Int? {
            guard !bytes.isEmpty, let base = text.baseAddress, text.count >= bytes.count else { return nil }
            let key = Int32(bytes[anchor])
            // The anchor of an occurrence at `start` is at `start + anchor`.
            var position = offset + anchor
            let end = text.count - (bytes.count - anchor) + 1
            while position < end {
                guard let hit = memchr(base + position, key, end - position) else { return nil }
                let index = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                let start = index - anchor
                let matches = bytes.withUnsafeBufferPointer { $0.baseAddress.map { memcmp(base + start, $0, bytes.count) == 0 } ?? false }
                if matches { return start }
                position = index + 1
            }
            return nil
        }
    }

    /// The rules, in the order they run: specific shapes before the generic assignment rule. They see
    /// transcript lines as stored, JSON-escaped: a quote may come as `\"`.
    static let rules: [Rule] = [
        rule(
            "private-key", triggers: ["PRIVATE KEY"],
            // To its END line; a block cut short (a tool's output limit) to the end of its base64 body,
            // whose line breaks a transcript line holds as `\n`.
            #"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|(?:[A-Za-z0-9+/=\s]|\\[nrt])+)"#
        ),
        rule("anthropic-key", triggers: ["sk-ant-"], #"(?<![A-Za-z0-9_-])sk-ant-(?:api|admin|oat|sid)[0-9]{2}-[A-Za-z0-9_-]{20,}"#),
        rule(
            "openai-key", triggers: ["sk-"],
            #"(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-|None-)?(?=[A-Za-z0-9_-]*[0-9])(?=[A-Za-z0-9_-]*[A-Z])[A-Za-z0-9_-]{32,}"#),
        rule(
            "github-token", triggers: ["gho_", "ghp_", "ghu_", "ghs_", "ghr_", "github_pat_"],
            #"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{50,})"#),
        rule(
            "aws-access-key", triggers: ["AKIA", "ASIA", "ABIA", "ACCA"], #"(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])"#),
        rule(
            "aws-secret-key", triggers: ["ecret", "ECRET"],
            #"(?i)(aws_?secret_?access_?key(?:\\?["'])?\s*[:=]\s*(?:\\?["'])?)((?:[A-Za-z0-9+=]|\\?/){40})(?![A-Za-z0-9/+=])"#, group: 2),
        rule("google-api-key", triggers: ["AIza"], #"(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])"#),
        rule("google-oauth-token", triggers: ["ya29."], #"(?<![A-Za-z0-9_-])ya29\.[0-9A-Za-z_-]{20,}"#),
        rule("slack-token", triggers: ["xox"], #"(?<![A-Za-z0-9_-])xox[abposre]-[A-Za-z0-9-]{10,}"#),
        rule("slack-webhook", triggers: ["hooks.slack.com"], #"https://hooks\.slack\.com/services/[A-Za-z0-9_/]{20,}"#),
        rule("stripe-key", triggers: ["_live_", "_test_"], #"(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}"#),
        rule("npm-token", triggers: ["npm_"], #"(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])"#),
        rule("jwt", triggers: ["eyJ"], #"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"#),
        rule("bearer-token", triggers: ["earer", "EARER"], #"(?i)(\bbearer\s+)([A-Za-z0-9_\-.=~+/]{16,})"#, group: 2),
        rule("url-password", triggers: ["://"], #"(\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@"'\\\[\]]*:)([^@/\s"'\\\[\]]{1,})(?=@)"#, group: 2),
        rule(
            "env-assignment", triggers: ["SECRET", "TOKEN", "PASSW", "KEY", "CREDENTIAL"],
            #"(?<![A-Za-z0-9_])((?:[A-Z0-9]+_)*(?:SECRET|TOKEN|PASSWORD|PASSWD|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|CLIENT_SECRET)(?:_[A-Z0-9]+)*)((?:\\?["'])?\s*[=:]\s*(?:\\?["'])?)(?![0-9]+(?![A-Za-z0-9_]))(?!\[REDACTED)([^\s"'\\]{4,})"#,
            group: 3),
    ]

    private static func rule(_ name: String, triggers: [String], _ pattern: String, group: Int = 0) -> Rule {
        // The patterns are constants checked by the tests; one that did not compile would match nothing.
        let expression = try? NSRegularExpression(pattern: pattern)
        return Rule(name: name, expression: expression, secretGroup: group, triggers: triggers.map(Trigger.init))
    }

    /// The repository root whose paths become relative (`/home/ada/app/src/a.swift` → `src/a.swift`).
    public let repositoryRoot: String?

    public init(repositoryRoot: String?) {
        self.repositoryRoot = repositoryRoot.map { $0.hasSuffix("/") && $0.count > 1 ? String($0.dropLast()) : $0 }
    }

    /// `text` with its secrets replaced and the repository's paths made relative; `counts` gets one
    /// more per secret, by rule.
    public func redact(_ text: String, counts: inout [String: Int]) -> String {
        var result = text
        for rule in Self.rules where Self.mayMatch(rule, result) {
            result = Self.apply(rule, to: result, counts: &counts)
        }
        if let root = repositoryRoot, root.count > 1 {
            // Byte for byte (Foundation's search bridges every line to UTF-16: 6 s on a 100 MB session).
            result = Self.replacing(root + "/", with: "", in: result)
            // The root itself, not the start of a sibling's name (`/home/ada/app-old`).
            result = Self.replacing(root, with: ".", in: result) { next in !Self.isPathByte(next) }
        }
        return result
    }

    /// `text` with its secrets replaced.
    public func redact(_ text: String) -> String {
        var counts: [String: Int] = [:]
        return redact(text, counts: &counts)
    }

    /// `text` with every occurrence of `target` (left to right, not overlapping) replaced by
    /// `replacement`, compared byte for byte; `text` itself when it holds none.
    /// `replacement`, compared byte for byte; `text` itself when it holds none. With `followedBy`, only
    /// occurrences whose next byte passes it (or that end the text) are replaced.
    static func replacing(
        _ target: String, with replacement: String, in text: String, followedBy boundary: ((UInt8) -> Bool)? = nil
    ) -> String {
        var text = text
        let needle = Trigger(target)
        return text.withUTF8 { bytes -> String? in
            var output: [UInt8] = []
            var cursor = 0
            var from = 0
            while let found = needle.firstOffset(in: bytes, from: from) {
                let end = found + needle.bytes.count
                from = found + 1
                if let boundary, end < bytes.count, !boundary(bytes[end]) { continue }
                if output.isEmpty { output.reserveCapacity(bytes.count) }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[cursor..<found]))
                output.append(contentsOf: replacement.utf8)
                cursor = end
                from = end
            }
            guard cursor > 0 || !output.isEmpty else { return nil }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[cursor...]))
            return String(decoding: output, as: UTF8.self)
        } ?? text
    }

    /// Whether `byte` can continue a file or folder name.
    private static func isPathByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "@"): true
        default: byte >= 0x80
        }
    }

    /// Whether `text` holds one of the rule's triggers.
    private static func mayMatch(_ rule: Rule, _ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in rule.triggers.contains { $0.occurs(in: bytes) } }
    }

    private static func apply(_ rule: Rule, to text: String, counts: inout [String: Int]) -> String {
        guard let expression = rule.expression else { return text }
        let whole = NSRange(text.startIndex..., in: text)
        let matches = expression.matches(in: text, range: whole)
        guard !matches.isEmpty else { return text }
        let source = text as NSString
        var output = ""
        var cursor = 0
        for match in matches {
            let secret = match.range(at: rule.secretGroup)
            guard secret.location != NSNotFound, secret.location >= cursor else { continue }
            output += source.substring(with: NSRange(location: cursor, length: secret.location - cursor))
            output += "[REDACTED:\(rule.name)]"
            cursor = secret.location + secret.length
            counts[rule.name, default: 0] += 1
        }
        output += source.substring(from: cursor)
        return output
    }
}
