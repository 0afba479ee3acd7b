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
    }

    /// The rules, in the order they run: specific shapes before the generic assignment rule.
    static let rules: [Rule] = [
        rule(
            "private-key",
            #"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"#),
        rule("anthropic-key", #"(?<![A-Za-z0-9_-])sk-ant-(?:api|admin|oat|sid)[0-9]{2}-[A-Za-z0-9_-]{20,}"#),
        rule(
            "openai-key",
            #"(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-|None-)?(?=[A-Za-z0-9_-]*[0-9])(?=[A-Za-z0-9_-]*[A-Z])[A-Za-z0-9_-]{32,}"#),
        rule("github-token", #"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{50,})"#),
        rule("aws-access-key", #"(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])"#),
        rule("aws-secret-key", #"(?i)(aws_?secret_?access_?key["']?\s*[:=]\s*["']?)([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"#, group: 2),
        rule("google-api-key", #"(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])"#),
        rule("google-oauth-token", #"(?<![A-Za-z0-9_-])ya29\.[0-9A-Za-z_-]{20,}"#),
        rule("slack-token", #"(?<![A-Za-z0-9_-])xox[abposre]-[A-Za-z0-9-]{10,}"#),
        rule("slack-webhook", #"https://hooks\.slack\.com/services/[A-Za-z0-9_/]{20,}"#),
        rule("stripe-key", #"(?<![A-Za-z0-9_])(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}"#),
        rule("npm-token", #"(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])"#),
        rule("jwt", #"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"#),
        rule("bearer-token", #"(?i)(\bbearer\s+)([A-Za-z0-9_\-.=~+/]{16,})"#, group: 2),
        rule("url-password", #"(\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@"'\\\[\]]*:)([^@/\s"'\\\[\]]{1,})(?=@)"#, group: 2),
        rule(
            "env-assignment",
            #"(?<![A-Za-z0-9_])((?:[A-Z0-9]+_)*(?:SECRET|TOKEN|PASSWORD|PASSWD|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|CLIENT_SECRET)(?:_[A-Z0-9]+)*)(\s*[=:]\s*["']?)(?![0-9]+(?![A-Za-z0-9_]))(?!\[REDACTED)([^\s"'\\]{4,})"#,
            group: 3),
    ]

    private static func rule(_ name: String, _ pattern: String, group: Int = 0) -> Rule {
        // The patterns are constants checked by the tests; one that did not compile would match nothing.
        let expression = try? NSRegularExpression(pattern: pattern)
        return Rule(name: name, expression: expression, secretGroup: group)
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
        for rule in Self.rules {
            result = Self.apply(rule, to: result, counts: &counts)
        }
        if let root = repositoryRoot, root.count > 1, result.contains(root) {
            result = result.replacingOccurrences(of: root + "/", with: "").replacingOccurrences(of: root, with: ".")
        }
        return result
    }

    /// `text` with its secrets replaced.
    public func redact(_ text: String) -> String {
        var counts: [String: Int] = [:]
        return redact(text, counts: &counts)
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
