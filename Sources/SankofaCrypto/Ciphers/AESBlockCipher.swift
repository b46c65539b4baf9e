import COpenSSL

/// AES-256 applied to single 16-byte blocks (ECB, padding off): the block permutation that the RLPx frame MAC
/// is built on (devp2p rlpx.md, "MAC": `aes(mac-secret, keccak256.digest(egress-mac)[:16])`).
///
/// The key schedule is set up once; every call encrypts exactly one block. Not thread-safe.
public final class AESBlockCipher {
    /// The AES block size.
    public static let blockSize = 16
    private let context: OpaquePointer

    /// A cipher for a 32-byte AES-256 key.
    public init(key: [UInt8]) throws(CipherError) {
        guard key.count == 32 else { throw CipherError(operation: "AES-256-ECB with a \(key.count)-byte key") }
        guard let context = EVP_CIPHER_CTX_new() else { throw CipherError(operation: "EVP_CIPHER_CTX_new") }
        guard EVP_EncryptInit_ex(context, EVP_aes_256_ecb(), nil, key, nil) == 1,
              EVP_CIPHER_CTX_set_padding(context, 0) == 1
        else {
            EVP_CIPHER_CTX_free(context)
            throw CipherError(operation: "EVP_EncryptInit_ex(aes-256-ecb)")
        }
        self.context = context
    }

    deinit { EVP_CIPHER_CTX_free(context) }

    /// Encrypts the 16 bytes at `input` into the 16 bytes at `output` (the two may be the same).
    public func encryptBlock(_ input: UnsafeRawPointer, into output: UnsafeMutableRawPointer) {
        var written: Int32 = 0
        let ok = EVP_EncryptUpdate(context, output.assumingMemoryBound(to: UInt8.self), &written,
                                   input.assumingMemoryBound(to: UInt8.self), Int32(Self.blockSize))
        // ECB without padding on a whole block never buffers; a failure here is memory corruption.
        precondition(ok == 1 && written == Int32(Self.blockSize), "EVP_EncryptUpdate(aes-256-ecb) failed")
    }

    /// The encryption of one 16-byte block.
    public func encryptBlock(_ block: [UInt8]) -> [UInt8] {
        precondition(block.count == Self.blockSize, "AES blocks are 16 bytes")
        var out = [UInt8](repeating: 0, count: Self.blockSize)
        block.withUnsafeBytes { input in
            out.withUnsafeMutableBytes { output in
                // Both buffers hold 16 bytes, so their base addresses exist.
                guard let source = input.baseAddress, let target = output.baseAddress else { return }
                encryptBlock(source, into: target)
            }
        }
        return out
    }
}
