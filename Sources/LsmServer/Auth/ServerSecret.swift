import Crypto
import Foundation

/// The key access tokens are signed with: `LSM_JWT_SECRET` (base64 or hex of at least 32 bytes),
/// else `<common dir>/lsm/secret`, 32 random bytes created with mode 0600 on first use.
///
/// jwt-kit accepts HMAC keys of any length in release builds, so the length is enforced here
/// (RFC 7518 §3.2: at least the hash size).
public enum ServerSecret {
    public static let minimumBytes = 32

    public static func load(file: String, environment: [String: String]) throws(ServerError) -> SymmetricKey {
        if let text = environment["LSM_JWT_SECRET"] {
            guard let bytes = decode(text), bytes.count >= minimumBytes else {
                throw .configuration(
                    "LSM_JWT_SECRET must hold at least \(minimumBytes) bytes, in base64 or hex",
                    hint: "generate one with: head -c 32 /dev/urandom | base64")
            }
            return SymmetricKey(data: bytes)
        }
        if let data = FileManager.default.contents(atPath: file) {
            guard data.count >= minimumBytes else {
                throw .configuration("the secret \(file) is shorter than \(minimumBytes) bytes", hint: "delete it; lsm makes a new one")
            }
            return SymmetricKey(data: data)
        }
        let key = SymmetricKey(size: .bits256)
        let bytes = key.withUnsafeBytes { Data($0) }
        try? FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        // O_EXCL: two servers starting at once must not each write their own key.
        let fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST, let data = FileManager.default.contents(atPath: file), data.count >= minimumBytes {
                return SymmetricKey(data: data)
            }
            throw .configuration("cannot create the secret \(file): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw .configuration("cannot write the secret \(file)") }
        fsync(fd)
        return key
    }

    static func decode(_ text: String) -> Data? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count.isMultiple(of: 2), trimmed.allSatisfy(\.isHexDigit) {
            var data = Data()
            var index = trimmed.startIndex
            while index < trimmed.endIndex {
                let next = trimmed.index(index, offsetBy: 2)
                guard let byte = UInt8(trimmed[index..<next], radix: 16) else { return nil }
                data.append(byte)
                index = next
            }
            return data
        }
        return Base64URL.decode(trimmed)
    }
}

/// base64url without padding (RFC 4648 §5), as JWTs and lsm's tokens use it; standard base64 is
/// accepted when decoding.
enum Base64URL {
    static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
