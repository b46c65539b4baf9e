import SankofaPrimitives

/// An ECDSA signature over secp256k1 with the recovery id that lets a verifier derive the signer's public key,
/// which is how Ethereum transactions and Clique seals carry their sender.
public struct RecoverableSignature: Hashable, Sendable {
    public var r: UInt256
    public var s: UInt256
    /// 0 or 1: the parity of the ephemeral point's y coordinate (`yParity` in typed transactions).
    public var recoveryId: UInt8

    /// The order n of the secp256k1 group.
    public static let curveOrder = UInt256(limbs: (0xBFD2_5E8C_D036_4141, 0xBAAE_DCE6_AF48_A03B,
                                                   0xFFFF_FFFF_FFFF_FFFE, 0xFFFF_FFFF_FFFF_FFFF))
    /// n / 2: the largest s that EIP-2 accepts.
    public static let halfCurveOrder = UInt256(limbs: (0xDFE9_2F46_681B_20A0, 0x5D57_6E73_57A4_501D,
                                                       0xFFFF_FFFF_FFFF_FFFF, 0x7FFF_FFFF_FFFF_FFFF))

    public init(r: UInt256, s: UInt256, recoveryId: UInt8) {
        self.r = r
        self.s = s
        self.recoveryId = recoveryId
    }

    /// From 64 bytes `r ‖ s` and a separate recovery id.
    public init(compact: [UInt8], recoveryId: UInt8) {
        precondition(compact.count == 64, "compact signatures are 64 bytes")
        r = UInt256(bigEndian: compact[0..<32]) ?? .zero
        s = UInt256(bigEndian: compact[32..<64]) ?? .zero
        self.recoveryId = recoveryId
    }

    /// From the 65-byte `r ‖ s ‖ v` form used by Clique seals and `eth_sign` (v may be 0/1 or 27/28).
    public init(rsv: some Collection<UInt8>) throws(CryptoError) {
        let bytes = Array(rsv)
        guard bytes.count == 65 else { throw .invalidSignature }
        let v = bytes[64] >= 27 ? bytes[64] &- 27 : bytes[64]
        guard v <= 1 else { throw .invalidSignature }
        self.init(compact: Array(bytes[0..<64]), recoveryId: v)
    }

    /// 65 bytes `r ‖ s ‖ v` with v = 0 or 1, as Clique writes the seal into extraData.
    public var rsv: [UInt8] { r.bigEndianBytes + s.bigEndianBytes + [recoveryId] }

    /// Whether r and s are in [1, n-1], s ≤ n/2 and the recovery id is 0 or 1.
    public func validate() throws(CryptoError) {
        guard !r.isZero, !s.isZero, r < Self.curveOrder, s < Self.curveOrder, recoveryId <= 1 else {
            throw .invalidSignature
        }
        guard s <= Self.halfCurveOrder else { throw .highS }
    }
}
