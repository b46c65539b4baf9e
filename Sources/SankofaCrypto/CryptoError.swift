/// Why a key, signature or cryptographic operation was refused.
public enum CryptoError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Zero, or not below the curve order, or not 32 bytes.
    case invalidPrivateKey
    /// Not a point on secp256k1 in a recognised encoding (33, 64 or 65 bytes).
    case invalidPublicKey
    /// r or s is zero or not below the curve order, or the recovery id is not 0 or 1.
    case invalidSignature
    /// s is in the upper half of the curve order; Ethereum accepts only the low-s form (EIP-2).
    case highS
    /// The signature is well formed but no public key recovers from it.
    case recoveryFailed
    /// The operating system's random source failed.
    case randomnessUnavailable

    public var description: String {
        switch self {
        case .invalidPrivateKey: "invalid private key: must be 32 bytes, non-zero and below the secp256k1 order"
        case .invalidPublicKey: "invalid public key: not a secp256k1 point"
        case .invalidSignature: "invalid signature: r and s must be in [1, n-1] and the recovery id 0 or 1"
        case .highS: "invalid signature: s is above n/2 (EIP-2 requires low-s signatures)"
        case .recoveryFailed: "signature does not recover to any public key"
        case .randomnessUnavailable: "the system random number generator failed"
        }
    }
}
