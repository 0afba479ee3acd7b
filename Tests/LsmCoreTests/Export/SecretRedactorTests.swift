import Foundation
import LsmCore
import Testing

/// `--redact`: realistic secrets of the common providers go; look-alikes that are not secrets stay.
@Suite struct SecretRedactorTests {
    /// (rule, text holding a secret, the secret). All of these are made up, in the providers' shapes.
    static let secrets: [(rule: String, text: String, secret: String)] = [
        (
            "anthropic-key", "ANTHROPIC key is sk-ant-api03-abcDEF123456_-ghiJKL789012mnoPQR345678stuVWX901234yzaBCD567890efgHIJ-AA ok",
            "sk-ant-api03-abcDEF123456_-ghiJKL789012mnoPQR345678stuVWX901234yzaBCD567890efgHIJ-AA"
        ),
        (
            "openai-key", "export OPENAI=sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6lMn9oPq2rSt5uVw8xYz1",
            "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7cDe0fGh3iJk6lMn9oPq2rSt5uVw8xYz1"
        ),
        ("openai-key", "key: sk-aB3cD4eF5gH6iJ7kL8mN9oP0qR1sT2uV3wX4yZ5aB6cD7eF8", "sk-aB3cD4eF5gH6iJ7kL8mN9oP0qR1sT2uV3wX4yZ5aB6cD7eF8"),
        // The whole text: the trigger (`sk-`) at its very start.
        ("openai-key", "sk-aB3cD4eF5gH6iJ7kL8mN9oP0qR1sT2uV3wX4yZ5aB6cD7eF8", "sk-aB3cD4eF5gH6iJ7kL8mN9oP0qR1sT2uV3wX4yZ5aB6cD7eF8"),
        (
            "github-token", "git clone https://ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R9s@github.com/o/r",
            "ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R9s"
        ),
        (
            "github-token", "GH=github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcd",
            "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcd"
        ),
        ("aws-access-key", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
        ("aws-secret-key", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        ("google-api-key", "maps?key=AIzaSyD-1234567890abcdefghijklmnopqrstu&q=x", "AIzaSyD-1234567890abcdefghijklmnopqrstu"),
        ("google-oauth-token", "token ya29.a0AfH6SMBx3Kq9Zexample-token_value123", "ya29.a0AfH6SMBx3Kq9Zexample-token_value123"),
        (
            "slack-token", "SLACK xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
            "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"
        ),
        (
            "slack-webhook", "curl https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX -d",
            "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"
        ),
        ("stripe-key", "Stripe.apiKey = \"sk_live_4eC39HqLyjWDarjtT1zdp7dc\";", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
        (
            "npm-token", "//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789",
            "npm_abcdefghijklmnopqrstuvwxyz0123456789"
        ),
        (
            "jwt",
            "cookie: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
        ),
        ("bearer-token", "Authorization: Bearer 0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d", "0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d"),
        ("url-password", "DATABASE_URL=postgres://admin:hunter2secret@db.example.com:5432/app", "hunter2secret"),
        ("url-password", "redis://:s3cr3tpass@cache:6379", "s3cr3tpass"),
        ("env-assignment", "DATABASE_PASSWORD=s3cr3t-Pa55word", "s3cr3t-Pa55word"),
        ("env-assignment", "STRIPE_SECRET_KEY=\"whatever-123\"", "whatever-123"),
        ("env-assignment", "API_KEY: abcd1234efgh", "abcd1234efgh"),
        ("env-assignment", "echo \"GITHUB_TOKEN=ab12cd34ef\\nNEXT=1\"", "ab12cd34ef"),
        (
            "private-key",
            "key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END RSA PRIVATE KEY-----\ndone",
            "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo"
        ),
        (
            "private-key",
            #"{"content":"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----"}"#,
            "b3BlbnNzaC1rZXktdjEAAAAA"
        ),
    ]

    /// Strings shaped a little like secrets that are not: they must come out unchanged.
    static let lookAlikes: [String] = [
        "commit 8bdf8040608ada06111e236adad770eecb12857b",
        "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "session 3f2a1b9c-4d5e-4f60-8a7b-9c0d1e2f3a4b",
        "data aGVsbG8gd29ybGQsIHRoaXMgaXMgZmluZQ==",
        "msg_01HZjNL8G7uFnVTmY94Us89M req_011CW9RqDtCazSHptaGE43a9 toolu_01ABCDefgh1234567890",
        "the task-list-for-the-week-and-more-items-to-do-now-2026",
        "pip install scikit-learn risk-assessment-framework-document",
        "MAX_TOKENS=4096",
        "TOKEN_COUNT=12",
        "see https://example.com/path@v2 and git@github.com:org/repo.git",
        "the bearer of bad news",
        "header eyJhbGciOiJIUzI1NiJ9 alone",
        "AKIA-docs say AKIAshort",
        "def login(password: str) -> Token:",
        "let apiKey = config.apiKey",
        "PASSWORD_MIN_LENGTH=12",
        "pk_test_TYooMQauvdEDq54NiTphI7jx",
        "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 user@host",
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOC\n-----END PUBLIC KEY-----",
    ]

    @Test(arguments: secrets.indices)
    func removesTheSecret(index: Int) {
        let (rule, text, secret) = Self.secrets[index]
        var counts: [String: Int] = [:]

        let redacted = SecretRedactor(repositoryRoot: nil).redact(text, counts: &counts)

        #expect(!redacted.contains(secret), "\(rule): \(redacted)")
        #expect(redacted.contains("[REDACTED:\(rule)]"), "\(redacted)")
        #expect(counts[rule, default: 0] >= 1)
    }

    @Test(arguments: lookAlikes)
    func leavesLookAlikesAlone(text: String) {
        #expect(SecretRedactor(repositoryRoot: nil).redact(text) == text)
    }

    @Test func keepsTheNameOfWhatItRedacts() {
        let redactor = SecretRedactor(repositoryRoot: nil)

        #expect(redactor.redact("DB_PASSWORD=hunter22") == "DB_PASSWORD=[REDACTED:env-assignment]")
        #expect(redactor.redact("https://ada:pw1234@host/x") == "https://ada:[REDACTED:url-password]@host/x")
        #expect(redactor.redact("Bearer abcdefghijklmnop1234") == "Bearer [REDACTED:bearer-token]")
    }

    @Test func redactedJSONLinesStayValidJSON() throws {
        let line =
            #"{"type":"user","message":{"content":"use sk-ant-api03-abcDEF123456_-ghiJKL789012mnoPQR345678stuVWX and DB_PASSWORD=x\"y1234"}}"#

        let redacted = SecretRedactor(repositoryRoot: nil).redact(line)

        #expect(try JSONSerialization.jsonObject(with: Data(redacted.utf8)) is [String: Any])
        #expect(!redacted.contains("sk-ant-"))
    }

    @Test func makesPathsRelativeToTheRepository() {
        let redactor = SecretRedactor(repositoryRoot: "/home/ada/src/app")

        #expect(
            redactor.redact(#"{"cwd":"/home/ada/src/app","file_path":"/home/ada/src/app/src/auth.py"}"#)
                == #"{"cwd":".","file_path":"src/auth.py"}"#)
    }

    @Test func makesEveryOccurrenceOfTheRootRelative() {
        let redactor = SecretRedactor(repositoryRoot: "/home/adà/app/")

        #expect(
            redactor.redact("cd /home/adà/app && swiftc /home/adà/app/Sources/é.swift /home/adà/app/b.swift; ls /home/adà")
                == "cd . && swiftc Sources/é.swift b.swift; ls /home/adà")
        #expect(redactor.redact("/home/adà/app") == ".")
        #expect(redactor.redact("/home/adà/app/x") == "x")
        #expect(redactor.redact("nothing here") == "nothing here")
    }

    /// Transcript lines are JSON: a quoted value inside a string comes as `\"…\"`, and a tool's output
    /// may cut a key block short.
    @Test(arguments: [
        ("env-assignment", "DB_PASSWORD=\"hunter2hunter2\"", "hunter2hunter2"),
        ("env-assignment", #"{"DB_PASSWORD": "hunter2hunter2"}"#, "hunter2hunter2"),
        (
            "aws-secret-key", "aws_secret_access_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        ),
        ("private-key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\nu1SU1LfVLPHC", "u1SU1LfVLPHC"),
    ])
    func removesSecretsFromJSONEscapedLines(_ rule: String, _ text: String, _ secret: String) throws {
        let line = String(decoding: try JSONEncoder().encode(["output": text]), as: UTF8.self)

        let redacted = SecretRedactor(repositoryRoot: nil).redact(line)

        #expect(!redacted.contains(secret), "\(rule): \(redacted)")
        #expect(redacted.contains("[REDACTED:\(rule)]"), "\(redacted)")
        #expect(try JSONSerialization.jsonObject(with: Data(redacted.utf8)) is [String: Any])
    }

    @Test func leavesASiblingOfTheRootAlone() {
        let redactor = SecretRedactor(repositoryRoot: "/home/ada/app")

        #expect(redactor.redact("cp /home/ada/app-old/x /home/ada/app") == "cp /home/ada/app-old/x .")
        #expect(redactor.redact("/home/ada/app.bak and /home/ada/app, /home/ada/app/y") == "/home/ada/app.bak and ., y")
    }
}
