import CSecp256k1
import SankofaPrimitives

/// A secp256k1 public key, held as the 64-byte `x ‖ y` form that devp2p node ids and address derivation use.
public struct PublicKey: Hashable, Sendable, CustomStringConvertible {
    /// `x ‖ y`, 64 bytes, without the 0x04 tag.
    public let rawBytes: [UInt8]

    init(parsed point: secp256k1_pubkey) {
        var point = point
        var out = [UInt8](repeating: 0, count: 65)
        var length = 65
        _ = secp256k1_ec_pubkey_serialize(Secp256k1Context.shared.verifying, &out, &length, &point,
                                          sankofa_secp256k1_ec_uncompressed())
        rawBytes = Array(out[1...])
    }

    /// Parses 64 bytes (`x ‖ y`, as in enode URLs), 65 bytes (0x04-tagged) or 33 bytes (compressed).
    public init(bytes: some Collection<UInt8>) throws(CryptoError) {
        var input = Array(bytes)
        if input.count == 64 { input.insert(0x04, at: 0) }
        guard input.count == 65 || input.count == 33 else { throw .invalidPublicKey }
        var point = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_parse(Secp256k1Context.shared.verifying, &point, input, input.count) == 1 else {
            throw .invalidPublicKey
        }
        self.init(parsed: point)
    }

    /// The 65-byte SEC1 uncompressed encoding (0x04 ‖ x ‖ y).
    public var uncompressed: [UInt8] { [0x04] + rawBytes }

    /// The 33-byte SEC1 compressed encoding.
    public var compressed: [UInt8] {
        var point = parsed()
        var out = [UInt8](repeating: 0, count: 33)
        var length = 33
        _ = secp256k1_ec_pubkey_serialize(Secp256k1Context.shared.verifying, &out, &length, &point,
                                          sankofa_secp256k1_ec_compressed())
        return out
    }

    /// The account address: the last 20 bytes of keccak256(x ‖ y).
    public var address: Address {
        let digest = Keccak256.hash(rawBytes)
        return digest.withUnsafeBytes { Address(unsafeBytes: UnsafeRawBufferPointer(rebasing: $0[12...])) }
    }

    public var description: String { Hex.encode(rawBytes) }

    func parsed() -> secp256k1_pubkey {
        var point = secp256k1_pubkey()
        let tagged = uncompressed
        _ = secp256k1_ec_pubkey_parse(Secp256k1Context.shared.verifying, &point, tagged, tagged.count)
        return point
    }
}
