/// Why an ECIES message (devp2p rlpx.md, "ECIES Encryption") could not be opened.
public enum ECIESError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Shorter than the 113 bytes of ephemeral key, IV and tag that every message carries.
    case tooShort(got: Int)
    /// The leading ephemeral public key is not a 0x04-tagged secp256k1 point.
    case invalidEphemeralKey
    /// The HMAC-SHA256 tag does not match: wrong recipient key, corrupted bytes, or wrong shared MAC data.
    case macMismatch
    /// A key could not be used (e.g. the recipient key is not a curve point).
    case crypto(CryptoError)
    /// OpenSSL failed.
    case cipher(CipherError)

    public var description: String {
        switch self {
        case .tooShort(let got): "ECIES message of \(got) bytes is shorter than the 113-byte overhead"
        case .invalidEphemeralKey: "ECIES message does not start with an uncompressed secp256k1 public key"
        case .macMismatch: "ECIES tag mismatch: not encrypted to this node's key, or corrupted in transit"
        case .crypto(let error): "ECIES key error: \(error)"
        case .cipher(let error): "ECIES cipher error: \(error)"
        }
    }
}
