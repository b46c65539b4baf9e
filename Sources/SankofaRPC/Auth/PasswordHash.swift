import COpenSSL

/// Salted password hashes for the credentials file: PBKDF2-HMAC-SHA256 through OpenSSL (RFC 8018 §5.2), written
/// `pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>`. Besu uses argon2; PBKDF2 is what the system libcrypto
/// offers without another dependency, and the iteration count in each hash lets operators raise the cost.
public struct PasswordHash: Sendable, Equatable {
    public static let defaultIterations = 210_000   // OWASP's 2023 figure for PBKDF2-HMAC-SHA256
    public static let maxIterations = 10_000_000

    public let iterations: Int
    public let salt: [UInt8]
    public let hash: [UInt8]

    /// Parses the stored form; nil for anything else (unknown scheme, bad hex, iterations out of range).
    public init?(encoded: String) {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let iterations = Int(parts[1]),
              (1...Self.maxIterations).contains(iterations),
              let salt = Self.hex(parts[2]), salt.count >= 8, let hash = Self.hex(parts[3]), hash.count == 32
        else { return nil }
        self.iterations = iterations
        self.salt = salt
        self.hash = hash
    }

    /// A new hash of `password` with a random 16-byte salt (for `sankofa password hash`).
    public init(hashing password: String, iterations: Int = defaultIterations) throws(AuthError) {
        var salt = [UInt8](repeating: 0, count: 16)
        guard RAND_bytes(&salt, 16) == 1 else { throw .setup("no randomness for a password salt") }
        self.iterations = iterations
        self.salt = salt
        self.hash = Self.derive(password, salt: salt, iterations: iterations)
    }

    /// The stored form.
    public var encoded: String { "pbkdf2-sha256$\(iterations)$\(Self.hexString(salt))$\(Self.hexString(hash))" }

    /// Whether `password` matches, compared in constant time. CPU-heavy by design: call it off the event loop.
    public func matches(_ password: String) -> Bool {
        let candidate = Self.derive(password, salt: salt, iterations: iterations)
        return CRYPTO_memcmp(candidate, hash, 32) == 0
    }

    static func derive(_ password: String, salt: [UInt8], iterations: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        let pass = Array(password.utf8)
        let ok = pass.withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { chars in
                PKCS5_PBKDF2_HMAC(chars.baseAddress, Int32(chars.count), salt, Int32(salt.count), Int32(iterations),
                                  EVP_sha256(), 32, &out)
            }
        }
        return ok == 1 ? out : [UInt8](repeating: 0xFF, count: 33)   // never equal to a 32-byte hash
    }

    static func hex(_ text: Substring) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var index = 0
        while index < chars.count {
            guard let high = nibble(chars[index]), let low = nibble(chars[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    static func hexString(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes { out += [digits[Int(byte >> 4)], digits[Int(byte & 15)]] }
        return String(decoding: out, as: UTF8.self)
    }
}
