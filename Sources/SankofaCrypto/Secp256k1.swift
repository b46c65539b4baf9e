import CSecp256k1
import SankofaPrimitives

/// Signature recovery, verification and ECDH over secp256k1 through libsecp256k1.
public enum Secp256k1 {
    /// The public key that produced `signature` over `digest`. Rejects high-s and out-of-range values first, so
    /// malleated signatures never recover (EIP-2).
    public static func recover(_ digest: Hash32, _ signature: RecoverableSignature) throws(CryptoError) -> PublicKey {
        try PublicKey(parsed: recoverPoint(digest, signature))
    }

    /// The address that signed `digest`: recovery plus keccak, without intermediate arrays (the transaction hot
    /// path: recover once per transaction and reuse the result).
    public static func recoverAddress(_ digest: Hash32, _ signature: RecoverableSignature) throws(CryptoError) -> Address {
        var point = try recoverPoint(digest, signature)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 65) { buffer in
            var length = 65
            _ = secp256k1_ec_pubkey_serialize(Secp256k1Context.shared.verifying, buffer.baseAddress!, &length, &point,
                                              sankofa_secp256k1_ec_uncompressed())
            let digest = Keccak256.hash(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[1..<65]))
            return digest.withUnsafeBytes { Address(unsafeBytes: UnsafeRawBufferPointer(rebasing: $0[12...])) }
        }
    }

    /// Verifies a (low-s) signature against a known public key.
    public static func verify(_ digest: Hash32, _ signature: RecoverableSignature, publicKey: PublicKey) -> Bool {
        guard (try? signature.validate()) != nil else { return false }
        var sig = secp256k1_ecdsa_signature()
        let compact = signature.r.bigEndianBytes + signature.s.bigEndianBytes
        guard secp256k1_ecdsa_signature_parse_compact(Secp256k1Context.shared.verifying, &sig, compact) == 1 else {
            return false
        }
        var point = publicKey.parsed()
        return digest.withUnsafeBytes { message in
            secp256k1_ecdsa_verify(Secp256k1Context.shared.verifying, &sig,
                                   message.digestPointer, &point) == 1
        }
    }

    /// The ECDH shared secret as RLPx defines it: the x coordinate of `privateKey · publicKey`, unhashed.
    public static func sharedSecret(privateKey: PrivateKey, publicKey: PublicKey) throws(CryptoError) -> [UInt8] {
        var point = publicKey.parsed()
        var out = [UInt8](repeating: 0, count: 32)
        let ok = secp256k1_ecdh(Secp256k1Context.shared.signing, &out, &point, privateKey.rawBytes,
                                sankofa_secp256k1_ecdh_raw_x, nil)
        guard ok == 1 else { throw .invalidPublicKey }
        return out
    }

    static func recoverPoint(_ digest: Hash32, _ signature: RecoverableSignature) throws(CryptoError) -> secp256k1_pubkey {
        try signature.validate()
        var recoverable = secp256k1_ecdsa_recoverable_signature()
        let parsed = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { compact in
            let raw = UnsafeMutableRawBufferPointer(compact)
            signature.r.writeBigEndian(into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<32]))
            signature.s.writeBigEndian(into: UnsafeMutableRawBufferPointer(rebasing: raw[32..<64]))
            return secp256k1_ecdsa_recoverable_signature_parse_compact(
                Secp256k1Context.shared.verifying, &recoverable, compact.baseAddress!, Int32(signature.recoveryId))
        }
        guard parsed == 1 else { throw .invalidSignature }
        var point = secp256k1_pubkey()
        let recovered = digest.withUnsafeBytes { message in
            secp256k1_ecdsa_recover(Secp256k1Context.shared.verifying, &point, &recoverable,
                                    message.digestPointer)
        }
        guard recovered == 1 else { throw .recoveryFailed }
        return point
    }
}
