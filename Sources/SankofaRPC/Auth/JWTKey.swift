import COpenSSL

/// The JWS algorithms accepted (RFC 7518 §3): RS256 and ES256 for keys from an identity provider (Keycloak),
/// ES256 for the tokens the node issues at `/login`. `none` and HMAC are never accepted for verification.
public enum JWTAlgorithm: String, Sendable {
    case rs256 = "RS256"
    case es256 = "ES256"
}

/// An RSA or P-256 key held by OpenSSL: public only (verifies) or a pair (also signs).
///
/// `@unchecked Sendable`: the `EVP_PKEY` is never mutated after creation, and OpenSSL 3 allows concurrent use of a
/// key from many threads as long as each operation has its own `EVP_MD_CTX`, which every call here creates.
public final class JWTKey: @unchecked Sendable {
    let key: OpaquePointer
    /// The algorithm this key is bound to; a token naming another one is refused (no algorithm confusion).
    public let algorithm: JWTAlgorithm

    private init(key: OpaquePointer, algorithm: JWTAlgorithm) {
        self.key = key
        self.algorithm = algorithm
    }

    deinit { EVP_PKEY_free(key) }

    /// A public key from PEM (`-----BEGIN PUBLIC KEY-----`, as Keycloak and `openssl pkey -pubout` write it).
    /// RSA keys must have at least 2048 bits; EC keys must be on P-256.
    public static func publicKey(pem: String) throws(AuthError) -> JWTKey {
        var bytes = Array(pem.utf8)
        let key: OpaquePointer? = bytes.withUnsafeMutableBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PUBKEY(bio, nil, nil, nil)
        }
        guard let key else { throw .setup("JWT public key is not a PEM public key (-----BEGIN PUBLIC KEY-----)") }
        switch sankofa_pkey_kind(key) {
        case 1:
            guard EVP_PKEY_get_bits(key) >= 2048 else {
                EVP_PKEY_free(key)
                throw .setup("JWT RSA public key is shorter than 2048 bits")
            }
            return JWTKey(key: key, algorithm: .rs256)
        case 2:
            guard EVP_PKEY_get_bits(key) == 256 else {
                EVP_PKEY_free(key)
                throw .setup("JWT EC public key must be on P-256 (ES256)")
            }
            return JWTKey(key: key, algorithm: .es256)
        default:
            EVP_PKEY_free(key)
            throw .setup("JWT public key must be RSA (RS256) or EC P-256 (ES256)")
        }
    }

    /// A fresh key pair: the node's `/login` signing key, and test identity providers.
    public static func generate(_ algorithm: JWTAlgorithm) throws(AuthError) -> JWTKey {
        let made: OpaquePointer? = switch algorithm {
        case .es256: sankofa_ec_p256_generate()
        case .rs256: sankofa_rsa_generate(2048)
        }
        guard let made else { throw .setup("could not generate a \(algorithm.rawValue) key (OpenSSL)") }
        return JWTKey(key: made, algorithm: algorithm)
    }

    /// The public half as PEM, for a `--rpc-http-authentication-jwt-public-key-file`.
    public func publicKeyPEM() -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        guard PEM_write_bio_PUBKEY(bio, key) == 1 else { return "" }
        var data: UnsafeMutablePointer<CChar>?
        let length = sankofa_bio_contents(bio, &data)
        guard let data, length > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    /// Whether `signature` (JWS form: PKCS#1 v1.5 for RS256, raw r‖s for ES256) signs `message` with SHA-256.
    public func verify(signature: [UInt8], message: [UInt8]) -> Bool {
        let der: [UInt8]
        switch algorithm {
        case .rs256: der = signature
        case .es256:
            guard signature.count == 64, let encoded = ECDSASignatureDER.encode(rs: signature) else { return false }
            der = encoded
        }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, key) == 1 else { return false }
        return EVP_DigestVerify(context, der, der.count, message, message.count) == 1
    }

    /// Signs `message` with SHA-256 in JWS form. Only keys made by `generate` have the private half.
    public func sign(_ message: [UInt8]) throws(AuthError) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw .setup("EVP_MD_CTX_new failed") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key) == 1 else { throw .setup("this JWT key cannot sign") }
        var length = 0
        guard EVP_DigestSign(context, nil, &length, message, message.count) == 1 else { throw .setup("EVP_DigestSign failed") }
        var out = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &out, &length, message, message.count) == 1 else { throw .setup("EVP_DigestSign failed") }
        out.removeSubrange(length...)
        switch algorithm {
        case .rs256: return out
        case .es256:
            guard let raw = ECDSASignatureDER.decode(out) else { throw .setup("OpenSSL returned a malformed ECDSA signature") }
            return raw
        }
    }
}

/// Converts ECDSA signatures between JWS's fixed 64-byte r‖s (RFC 7518 §3.4) and the DER `ECDSA-Sig-Value`
/// OpenSSL reads and writes.
enum ECDSASignatureDER {
    static func encode(rs: [UInt8]) -> [UInt8]? {
        guard rs.count == 64 else { return nil }
        func integer(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
            var value = Array(bytes.drop { $0 == 0 })
            if value.isEmpty { value = [0] }
            if value[0] & 0x80 != 0 { value.insert(0, at: 0) }
            return [0x02, UInt8(value.count)] + value
        }
        let body = integer(rs[0..<32]) + integer(rs[32..<64])
        return [0x30, UInt8(body.count)] + body
    }

    static func decode(_ der: [UInt8]) -> [UInt8]? {
        guard der.count >= 8, der[0] == 0x30, Int(der[1]) == der.count - 2 else { return nil }
        var index = 2
        var out: [UInt8] = []
        for _ in 0..<2 {
            guard index + 2 <= der.count, der[index] == 0x02 else { return nil }
            let length = Int(der[index + 1])
            guard index + 2 + length <= der.count else { return nil }
            let value = der[(index + 2)..<(index + 2 + length)].drop { $0 == 0 }
            guard value.count <= 32 else { return nil }
            out += [UInt8](repeating: 0, count: 32 - value.count) + value
            index += 2 + length
        }
        return index == der.count ? out : nil
    }
}
