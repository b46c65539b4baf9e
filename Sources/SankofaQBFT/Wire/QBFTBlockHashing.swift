import SankofaChain
import SankofaCrypto
import SankofaPrimitives

/// The hashes a QBFT header is known by (Besu `BftBlockHashing` with `QbftExtraDataCodec`). Both re-encode the
/// header with a reduced extraData; the genesis header (number 0) is always hashed with its extraData as is.
///
/// - On-chain hash (`BftBlockHeaderFunctions.forOnchainBlock`): extraData without round (`0x80`) and without
///   seals (`[]`). This is the block hash: the next header's `parentHash`, `eth_getBlockByHash`. It does not
///   change when a block is re-proposed in a later round or sealed by different committers.
/// - Commit-seal hash (`forCommittedSeal`): extraData with the round kept and seals `[]`. Commit seals sign it,
///   and it is the digest PREPARE and COMMIT messages name (Besu's proposal blocks hash this way).
///
/// `BlockHeader.hash` of a header with the Istanbul mixHash is the on-chain hash; `BlockHeader.encodedHash` is keccak
/// of the header exactly as stored, which differs for every sealed block.
public enum QBFTBlockHashing {
    /// Besu `calculateHashOfBftBlockOnchain` (`BlockHeader.bftOnChainHash`; `BlockHeader.hash` for every header
    /// with the Istanbul mixHash), after checking that extraData is QBFT's.
    public static func onChainHash(_ header: BlockHeader) throws(QBFTError) -> Hash32 {
        if header.number == 0 { return header.encodedHash }
        _ = try QBFTExtraData(rlp: header.extraData)
        return header.bftOnChainHash ?? header.encodedHash
    }

    /// Besu `calculateDataHashForCommittedSeal`: the digest every commit seal of `header` signs.
    public static func commitSealHash(_ header: BlockHeader) throws(QBFTError) -> Hash32 {
        if header.number == 0 { return header.encodedHash }
        return commitSealHash(header, extraData: try QBFTExtraData(rlp: header.extraData))
    }

    /// The commit-seal hash of `header` with `extraData` in place of its own (already parsed, or with another
    /// round: Besu `replaceRoundForCommitBlock`).
    public static func commitSealHash(_ header: BlockHeader, extraData: QBFTExtraData) -> Hash32 {
        if header.number == 0 { return header.encodedHash }
        return hash(header, extraData: extraData.encoded(.withoutCommitSeals))
    }

    /// The committers of `header`: the address each commit seal recovers to, in seal order.
    public static func recoverCommitters(_ header: BlockHeader) throws(QBFTError) -> [Address] {
        let extra = try QBFTExtraData(rlp: header.extraData)
        let digest = commitSealHash(header, extraData: extra)
        var committers: [Address] = []
        committers.reserveCapacity(extra.commitSeals.count)
        for seal in extra.commitSeals { committers.append(try seal.recoverSigner(digest)) }
        return committers
    }

    /// `header` with its extraData's round replaced (Besu `BftBlockInterface.replaceRoundInBlock`): how a block
    /// prepared in an earlier round is re-proposed.
    public static func replacingRound(_ header: BlockHeader, with round: UInt32) throws(QBFTError) -> BlockHeader {
        var extra = try QBFTExtraData(rlp: header.extraData)
        extra.round = round
        var replaced = header
        replaced.extraData = extra.encoded()
        return replaced
    }

    /// The final header: `round` and the commit seals written in (Besu `BftHelpers.createSealedBlock`).
    public static func sealed(_ header: BlockHeader, round: UInt32,
                              commitSeals: [RecoverableSignature]) throws(QBFTError) -> BlockHeader {
        var extra = try QBFTExtraData(rlp: header.extraData)
        extra.round = round
        extra.commitSeals = commitSeals
        var sealed = header
        sealed.extraData = extra.encoded()
        return sealed
    }

    static func hash(_ header: BlockHeader, extraData: [UInt8]) -> Hash32 {
        var writer = RLPWriter(capacity: 640)
        writer.writeList { w in header.encodeFields(to: &w, extraData: extraData) }
        return Keccak256.hash(writer.bytes)
    }
}

/// Header constants of every QBFT block (Besu `BftHelpers`, `BftBlockCreator`).
public enum QBFTHeaderConstants {
    /// Besu `BftHelpers.EXPECTED_MIX_HASH`: ASCII "ctical byzantine fault tolerance".
    public static let mixHash = BlockHeader.istanbulMixHash
    /// Every QBFT block has difficulty 1 (Besu `ConstantFieldValidationRule` on difficulty).
    public static let difficulty = UInt256(1)
    /// The nonce of every QBFT block.
    public static let nonce: UInt64 = 0
}
