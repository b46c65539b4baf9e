import COpenSSL

/// An AES counter-mode keystream (NIST SP 800-38A) that continues across calls: encrypting `a` then `b` gives
/// the same bytes as encrypting `a ‖ b` at once. devp2p RLPx keeps one such stream per direction for the whole
/// connection (rlpx.md, "Framing": AES-256-CTR, IV zero); ECIES uses a fresh AES-128 one per message.
///
/// Encryption and decryption are the same operation. Not thread-safe: each connection direction owns one.
public final class AESCTR {
    private let context: OpaquePointer

    /// A stream keyed with `key` (16 bytes selects AES-128, 32 bytes AES-256) starting at counter block `iv`.
    public init(key: [UInt8], iv: [UInt8] = [UInt8](repeating: 0, count: 16)) throws(CipherError) {
        let cipher: OpaquePointer?
        switch key.count {
        case 16: cipher = EVP_aes_128_ctr()
        case 32: cipher = EVP_aes_256_ctr()
        default: throw CipherError(operation: "AES-CTR with a \(key.count)-byte key")
        }
        guard iv.count == 16 else { throw CipherError(operation: "AES-CTR with a \(iv.count)-byte IV") }
        guard let context = EVP_CIPHER_CTX_new() else { throw CipherError(operation: "EVP_CIPHER_CTX_new") }
        guard EVP_EncryptInit_ex(context, cipher, nil, key, iv) == 1 else {
            EVP_CIPHER_CTX_free(context)
            throw CipherError(operation: "EVP_EncryptInit_ex(aes-ctr)")
        }
        self.context = context
    }

    deinit { EVP_CIPHER_CTX_free(context) }

    /// XORs the next `buffer.count` keystream bytes into `buffer` in place.
    public func apply(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        var remaining = buffer.count
        var offset = 0
        // EVP takes an Int32 length; feed very large buffers in chunks.
        while remaining > 0 {
            let chunk = min(remaining, 1 << 30)
            var written: Int32 = 0
            let ok = EVP_EncryptUpdate(context, bytes + offset, &written, bytes + offset, Int32(chunk))
            // CTR with a valid key never fails or buffers; a failure here is memory corruption.
            precondition(ok == 1 && Int(written) == chunk, "EVP_EncryptUpdate(aes-ctr) failed")
            offset += chunk
            remaining -= chunk
        }
    }

    /// XORs the next keystream bytes into `bytes` in place.
    public func apply(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { apply($0) }
    }

    /// The encryption (or decryption) of `bytes` as a new array.
    public func process(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var out = Array(bytes)
        apply(&out)
        return out
    }
}
