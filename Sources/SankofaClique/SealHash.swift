import SankofaChain
import SankofaConsensus
import SankofaCrypto
import SankofaPrimitives

/// The Clique seal: a secp256k1 signature by the signer over the seal hash, stored in the last 65 bytes of
/// extraData (EIP-225 §Block authorization signing).
public enum CliqueSeal {
    /// EIP-225 seal hash: keccak256 of the header's RLP with extraData minus its last 65 bytes (the seal), so
    /// the signature does not cover itself. Throws `.invalidExtraData` when extraData cannot hold a seal.
    public static func hash(of header: BlockHeader) throws(ConsensusError) -> Hash32 {
        _ = try CliqueExtraData.seal(of: header.extraData)
        let unsealed = header.extraData.dropLast(CliqueExtraData.sealLength)
        var writer = RLPWriter(capacity: 640)
        writer.writeList { w in header.encodeFields(to: &w, extraData: unsealed) }
        return Keccak256.hash(writer.bytes)
    }

    /// The address that sealed `header`.
    ///
    /// Accepts exactly what geth's `ecrecover` accepts: v must be 0 or 1 (not 27/28), r and s in [1, n-1]. A
    /// high-s seal is valid in Clique (geth does not enforce EIP-2 here), so it is recovered through its low-s
    /// twin (r, n-s, v^1), which yields the same key.
    public static func recoverSigner(of header: BlockHeader) throws(ConsensusError) -> Address {
        let seal = try CliqueExtraData.seal(of: header.extraData)
        guard let v = seal.last, v <= 1 else { throw .invalidSeal("recovery id v must be 0 or 1") }
        var signature: RecoverableSignature
        do { signature = try RecoverableSignature(rsv: seal) } catch { throw .invalidSeal("\(error)") }
        if signature.s > RecoverableSignature.halfCurveOrder && signature.s < RecoverableSignature.curveOrder {
            signature = RecoverableSignature(r: signature.r, s: RecoverableSignature.curveOrder - signature.s,
                                             recoveryId: signature.recoveryId ^ 1)
        }
        let digest = try hash(of: header)
        do { return try Secp256k1.recoverAddress(digest, signature) } catch { throw .invalidSeal("\(error)") }
    }

    /// `header` with the seal by `key` written into the last 65 bytes of its extraData.
    public static func sign(_ header: BlockHeader, with key: PrivateKey) throws(ConsensusError) -> BlockHeader {
        let digest = try hash(of: header)
        var sealed = header
        sealed.extraData.replaceSubrange((sealed.extraData.count - CliqueExtraData.sealLength)..., with: key.sign(digest).rsv)
        return sealed
    }
}
