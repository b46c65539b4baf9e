import SankofaCrypto
import SankofaPrimitives

/// The consensus data a QBFT header carries in its extraData, byte for byte as Besu's `QbftExtraDataCodec`:
/// `RLP([vanity, [validators…], vote | [], round, [commitSeals…]])`.
///
/// - `vanity`: free bytes, 32 of them in a valid header (Besu `BftVanityDataValidationRule`).
/// - `validators`: the validator set in force for this block (the set after the parent), sorted ascending.
/// - `vote`: `[]` (`0xc0`) when absent, else `[recipient, 0xff | 0x80]` (see `QBFTVote`).
/// - `round`: a minimal RLP scalar (`writeIntScalar`), unlike IBFT 2.0's fixed four bytes.
/// - `commitSeals`: 65-byte `r ‖ s ‖ v` signatures over `QBFTBlockHashing.commitSealHash`.
public struct QBFTExtraData: Hashable, Sendable {
    /// Bytes of vanity a valid header carries (Besu `BftExtraDataCodec.EXTRA_VANITY_LENGTH`).
    public static let vanityLength = 32

    public var vanity: [UInt8]
    public var validators: [Address]
    public var vote: QBFTVote?
    public var round: UInt32
    public var commitSeals: [RecoverableSignature]

    public init(vanity: [UInt8] = [UInt8](repeating: 0, count: QBFTExtraData.vanityLength), validators: [Address],
                vote: QBFTVote? = nil, round: UInt32 = 0, commitSeals: [RecoverableSignature] = []) {
        self.vanity = vanity
        self.validators = validators
        self.vote = vote
        self.round = round
        self.commitSeals = commitSeals
    }

    /// Which parts an encoding keeps (Besu `BftExtraDataCodec.EncodingType`).
    public enum Encoding: Sendable {
        /// Everything: what a sealed header stores.
        case full
        /// Seals written as an empty list, round kept: hashed for the commit-seal digest and the proposal digest.
        case withoutCommitSeals
        /// Round written as `0x80` and seals as an empty list: hashed for the on-chain block hash.
        case withoutCommitSealsAndRound
    }

    /// The RLP bytes of this extraData in the given encoding.
    public func encoded(_ encoding: Encoding = .full) -> [UInt8] {
        var writer = RLPWriter(capacity: 64 + validators.count * 21 + commitSeals.count * 67)
        writer.writeList { w in
            w.write(bytes: vanity)
            w.writeList { list in for validator in validators { list.write(validator) } }
            if let vote { vote.encode(to: &w) } else { w.writeEmptyList() }
            switch encoding {
            case .full:
                w.write(UInt64(round))
                w.writeList { list in for seal in commitSeals { list.write(bytes: seal.rsv) } }
            case .withoutCommitSeals:
                w.write(UInt64(round))
                w.writeEmptyList()
            case .withoutCommitSealsAndRound:
                w.write(0 as UInt64)
                w.writeEmptyList()
            }
        }
        return writer.bytes
    }

    /// Decodes extraData strictly. Besu's decoder tolerates items after the seal list (`leaveListLenient`); this
    /// one refuses them, since they would not be covered by the block hash and would let two different headers
    /// share one hash.
    public init(rlp input: [UInt8]) throws(QBFTError) {
        guard !input.isEmpty else { throw .invalidExtraData("extraData is empty: a QBFT header needs RLP([vanity, validators, vote, round, seals])") }
        var reader = RLPReader(input)
        var fields = try QBFTError.reading("extraData") { () throws(RLPError) -> RLPReader in
            let fields = try reader.readList()
            try reader.finish()
            return fields
        }
        let (vanity, validators, voteIsAbsent) = try QBFTError.reading("extraData") {
            () throws(RLPError) -> ([UInt8], [Address], Bool) in
            let vanity = Array(try fields.readBytes())
            var list = try fields.readList()
            var validators: [Address] = []
            while !list.isAtEnd { validators.append(try list.readAddress()) }
            var absent = false
            if try fields.peekIsList() {
                var peek = fields
                absent = try peek.readList().isAtEnd
            }
            return (vanity, validators, absent)
        }
        let vote: QBFTVote?
        if voteIsAbsent {
            _ = try QBFTError.reading("extraData vote") { () throws(RLPError) in try fields.skipItem() }
            vote = nil
        } else {
            vote = try QBFTVote.read(from: &fields)
        }
        let (round, sealBytes) = try QBFTError.reading("extraData round and seals") {
            () throws(RLPError) -> (UInt32, [ArraySlice<UInt8>]) in
            let round = try fields.readRound()
            var list = try fields.readList()
            var seals: [ArraySlice<UInt8>] = []
            while !list.isAtEnd { seals.append(try list.readBytes()) }
            try fields.finish()
            return (round, seals)
        }
        var seals: [RecoverableSignature] = []
        seals.reserveCapacity(sealBytes.count)
        for (index, bytes) in sealBytes.enumerated() {
            do { seals.append(try RecoverableSignature.qbft(bytes)) } catch {
                throw .invalidExtraData("commit seal \(index): \(error)")
            }
        }
        self.init(vanity: vanity, validators: validators, vote: vote, round: round, commitSeals: seals)
    }
}

extension RecoverableSignature {
    /// A 65-byte `r ‖ s ‖ v` signature as Besu's `SECPSignature.decode` reads it: v must be 0 or 1 (not 27/28)
    /// and r, s in [1, n-1]. Low-s is checked where Besu checks it (message signatures), not here.
    static func qbft(_ bytes: some Collection<UInt8>) throws(QBFTError) -> RecoverableSignature {
        let raw = Array(bytes)
        guard raw.count == 65 else { throw .invalidSignature("\(raw.count) bytes, expected 65 (r ‖ s ‖ v)") }
        guard raw[64] <= 1 else { throw .invalidSignature("recovery id \(raw[64]) is not 0 or 1") }
        let signature = RecoverableSignature(compact: Array(raw[0..<64]), recoveryId: raw[64])
        guard !signature.r.isZero, !signature.s.isZero, signature.r < Self.curveOrder, signature.s < Self.curveOrder else {
            throw .invalidSignature("r and s must be in [1, n-1]")
        }
        return signature
    }

    /// The signer of `digest`, accepting a high-s signature through its low-s twin (commit seals are checked by
    /// recovery only, as Besu's `Util.signatureToAddress`).
    func recoverSigner(_ digest: Hash32) throws(QBFTError) -> Address {
        var signature = self
        if signature.s > Self.halfCurveOrder {
            signature = RecoverableSignature(r: r, s: Self.curveOrder - s, recoveryId: recoveryId ^ 1)
        }
        do { return try Secp256k1.recoverAddress(digest, signature) } catch {
            throw .invalidSignature("\(error)")
        }
    }
}
