/// The Elliptic Curve Integrated Encryption Scheme exactly as devp2p uses it for the RLPx handshake
/// (devp2p rlpx.md, "ECIES Encryption"; EIP-8 for the shared MAC data):
///
///     R = r·G (fresh ephemeral key), S = x(r·K_B)
///     kE ‖ kM = ConcatKDF-SHA256(S, 32), kM ← SHA256(kM)
///     c = AES-128-CTR(kE, iv, m), d = HMAC-SHA256(kM, iv ‖ c ‖ sharedMacData)
///     message = R (65 bytes, 0x04-tagged) ‖ iv ‖ c ‖ d
///
/// `sharedMacData` is authenticated but not sent: EIP-8 handshake packets pass their 2-byte size prefix.
public enum ECIES {
    /// Bytes every message adds to its plaintext: 65 (ephemeral key) + 16 (IV) + 32 (tag).
    public static let overhead = 65 + 16 + 32

    /// Encrypts `plaintext` to `recipient` with a fresh ephemeral key and IV.
    public static func encrypt(_ plaintext: [UInt8], to recipient: PublicKey,
                               sharedMacData: [UInt8] = []) throws(ECIESError) -> [UInt8] {
        let ephemeralKey = try crypto { () throws(CryptoError) in try PrivateKey.generate() }
        let iv = try crypto { () throws(CryptoError) in try SecureRandom.bytes(16) }
        return try encrypt(plaintext, to: recipient, sharedMacData: sharedMacData, ephemeralKey: ephemeralKey, iv: iv)
    }

    /// Encryption with a caller-chosen ephemeral key and IV: for tests and vectors only, because reusing either
    /// breaks the scheme.
    public static func encrypt(_ plaintext: [UInt8], to recipient: PublicKey, sharedMacData: [UInt8],
                               ephemeralKey: PrivateKey, iv: [UInt8]) throws(ECIESError) -> [UInt8] {
        let (encryptionKey, macKey) = try keys(privateKey: ephemeralKey, publicKey: recipient)
        return try cipher { () throws(CipherError) in
            let ciphertext = try AESCTR(key: encryptionKey, iv: iv).process(plaintext)
            let tag = try SHA256.hmac(key: macKey, iv, ciphertext, sharedMacData)
            return ephemeralKey.publicKey.uncompressed + iv + ciphertext + tag
        }
    }

    /// Opens a message encrypted to `privateKey`'s public key, checking the tag before decrypting.
    public static func decrypt(_ message: some Collection<UInt8>, with privateKey: PrivateKey,
                               sharedMacData: [UInt8] = []) throws(ECIESError) -> [UInt8] {
        let bytes = Array(message)
        guard bytes.count >= overhead else { throw .tooShort(got: bytes.count) }
        guard bytes[0] == 0x04, let ephemeral = try? PublicKey(bytes: bytes[0..<65]) else {
            throw .invalidEphemeralKey
        }
        let iv = Array(bytes[65..<81])
        let ciphertext = Array(bytes[81..<(bytes.count - 32)])
        let tag = bytes[(bytes.count - 32)...]
        let (encryptionKey, macKey) = try keys(privateKey: privateKey, publicKey: ephemeral)
        let expected = try cipher { () throws(CipherError) in try SHA256.hmac(key: macKey, iv, ciphertext, sharedMacData) }
        guard SHA256.constantTimeEqual(expected, tag) else { throw .macMismatch }
        return try cipher { () throws(CipherError) in try AESCTR(key: encryptionKey, iv: iv).process(ciphertext) }
    }

    /// kE (16 bytes, AES-128) and kM = SHA256(second 16 bytes) from the ECDH secret.
    private static func keys(privateKey: PrivateKey, publicKey: PublicKey) throws(ECIESError) -> ([UInt8], [UInt8]) {
        let shared = try crypto { () throws(CryptoError) in
            try Secp256k1.sharedSecret(privateKey: privateKey, publicKey: publicKey)
        }
        return try cipher { () throws(CipherError) in
            let material = try ConcatKDF.derive(shared, length: 32)
            return (Array(material[0..<16]), try SHA256.hash(Array(material[16..<32])))
        }
    }

    private static func cipher<T>(_ body: () throws(CipherError) -> T) throws(ECIESError) -> T {
        do { return try body() } catch { throw .cipher(error) }
    }

    private static func crypto<T>(_ body: () throws(CryptoError) -> T) throws(ECIESError) -> T {
        do { return try body() } catch { throw .crypto(error) }
    }
}
