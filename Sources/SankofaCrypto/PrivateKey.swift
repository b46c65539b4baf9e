import CSecp256k1
import SankofaPrimitives

/// A secp256k1 secret key. Its bytes never appear in `description`, logs or debug output.
public struct PrivateKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    private let secret: [UInt8]

    /// A key from 32 big-endian bytes; fails unless 0 < key < n.
    public init(bytes: some Collection<UInt8>) throws(CryptoError) {
        let candidate = Array(bytes)
        guard candidate.count == 32,
              secp256k1_ec_seckey_verify(Secp256k1Context.shared.signing, candidate) == 1
        else { throw .invalidPrivateKey }
        secret = candidate
    }

    /// A key from hex text (`0x` optional), as in Besu key files.
    public init(hex: some StringProtocol) throws(CryptoError) {
        guard let bytes = try? Hex.decode(hex.trimmingWhitespace(), count: 32) else { throw .invalidPrivateKey }
        try self.init(bytes: bytes)
    }

    /// A fresh key from the system's secure random source.
    public static func generate() throws(CryptoError) -> PrivateKey {
        while true {
            if let key = try? PrivateKey(bytes: try SecureRandom.bytes(32)) { return key }
        }
    }

    /// The raw secret, for writing a key file or deriving a shared secret. Handle with care.
    public var rawBytes: [UInt8] { secret }

    /// The matching public key.
    public var publicKey: PublicKey {
        var point = secp256k1_pubkey()
        // Cannot fail: the secret was validated on construction.
        _ = secp256k1_ec_pubkey_create(Secp256k1Context.shared.signing, &point, secret)
        return PublicKey(parsed: point)
    }

    /// The account address of this key.
    public var address: Address { publicKey.address }

    /// Signs a 32-byte digest deterministically (RFC 6979), producing a low-s signature with its recovery id.
    public func sign(_ digest: Hash32) -> RecoverableSignature {
        var signature = secp256k1_ecdsa_recoverable_signature()
        let signed = digest.withUnsafeBytes { message in
            secp256k1_ecdsa_sign_recoverable(Secp256k1Context.shared.signing, &signature,
                                             message.digestPointer, secret, nil, nil)
        }
        precondition(signed == 1, "libsecp256k1 refused to sign with a validated key")
        var compact = [UInt8](repeating: 0, count: 64)
        var recoveryId: Int32 = 0
        _ = secp256k1_ecdsa_recoverable_signature_serialize_compact(
            Secp256k1Context.shared.verifying, &compact, &recoveryId, &signature)
        return RecoverableSignature(compact: compact, recoveryId: UInt8(recoveryId))
    }

    public var description: String { "PrivateKey(<redacted>)" }
    public var debugDescription: String { description }
}

extension StringProtocol {
    func trimmingWhitespace() -> Substring {
        let s = Substring(self)
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
        guard let first = s.firstIndex(where: { !isSpace($0) }), let last = s.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return s[first...last]
    }
}
