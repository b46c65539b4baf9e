import COpenSSL

/// SHA-256 and HMAC-SHA256 through OpenSSL, as the devp2p ECIES scheme needs them (devp2p rlpx.md, "ECIES
/// Encryption": the KDF and the message tag are both SHA-256 based).
public enum SHA256 {
    /// Digest length in bytes.
    public static let byteCount = 32

    /// SHA-256 of the concatenation of `parts`.
    public static func hash(_ parts: [UInt8]...) throws(CipherError) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw CipherError(operation: "EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            throw CipherError(operation: "EVP_DigestInit_ex(sha256)")
        }
        for part in parts {
            let ok = part.withUnsafeBytes { EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
            guard ok == 1 else { throw CipherError(operation: "EVP_DigestUpdate(sha256)") }
        }
        var out = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &out, &length) == 1, length == byteCount else {
            throw CipherError(operation: "EVP_DigestFinal_ex(sha256)")
        }
        return out
    }

    /// HMAC-SHA256 (RFC 2104) of the concatenation of `parts` under `key`.
    public static func hmac(key: [UInt8], _ parts: [UInt8]...) throws(CipherError) -> [UInt8] {
        var message: [UInt8] = []
        message.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { message.append(contentsOf: part) }
        var out = [UInt8](repeating: 0, count: EVP_MAX_MD_SIZE_VALUE)
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { k in
            message.withUnsafeBytes { m in
                HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), m.baseAddress?.assumingMemoryBound(to: UInt8.self),
                     m.count, &out, &length)
            }
        }
        guard result != nil, length == byteCount else { throw CipherError(operation: "HMAC(sha256)") }
        return Array(out[0..<byteCount])
    }

    /// Compares two buffers in time that depends only on their length (OpenSSL `CRYPTO_memcmp`), for MACs.
    public static func constantTimeEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard let left = a.baseAddress, let right = b.baseAddress else { return true }
        return CRYPTO_memcmp(left, right, a.count) == 0
    }

    /// Compares two byte strings in time that depends only on their length (OpenSSL `CRYPTO_memcmp`), for MACs.
    public static func constantTimeEqual(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        let left = Array(a)
        let right = Array(b)
        guard left.count == right.count else { return false }
        if left.isEmpty { return true }
        return left.withUnsafeBytes { l in right.withUnsafeBytes { r in CRYPTO_memcmp(l.baseAddress, r.baseAddress, l.count) == 0 } }
    }
}

/// `EVP_MAX_MD_SIZE` is a macro Swift does not import.
private let EVP_MAX_MD_SIZE_VALUE = 64
