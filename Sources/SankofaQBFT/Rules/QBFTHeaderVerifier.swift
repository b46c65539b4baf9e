import SankofaChain
import SankofaConsensus
import SankofaPrimitives

/// Verifies QBFT headers as Besu's `QbftBlockHeaderValidationRulesetFactory` does, plus the fixed fields Besu's
/// block creator writes (nonce 0, no uncles):
///
/// 1. ancestry: `parentHash` is the parent's on-chain hash and the number follows it;
/// 2. timestamp at most 1 s ahead of the local clock and at least `blockPeriodSeconds` after the parent;
/// 3. gas used within the limit, limit within 1/1024 of the parent's and at least 5000;
/// 4. mixHash = "ctical byzantine fault tolerance", difficulty 1, nonce 0, empty ommers;
/// 5. extraData in the QBFT layout with a 32-byte vanity, listing exactly the validators after the parent in
///    ascending order (`BftValidatorsValidationRule`); in contract mode those are the Governance contract's list in
///    the parent's state, and the header carries no vote;
/// 6. the proposer (coinbase) is one of them (`BftCoinbaseValidationRule`);
/// 7. the commit seals recover to distinct validators, at least ⌈2n/3⌉ of them (`BftCommitSealsValidationRule`).
///
/// QBFT has no proposer seal: the author of a block is its coinbase, which the commit seals vouch for.
public final class QBFTHeaderVerifier: HeaderVerifier, @unchecked Sendable {
    public let config: QBFTConfig
    public let tracker: QBFTValidatorTracker
    /// Seconds since the Unix epoch; injectable so tests control "now".
    let clock: @Sendable () -> UInt64

    /// How far ahead of the local clock a timestamp may be (Besu `TimestampBoundedByFutureParameter(1)`).
    public static let allowedFutureSeconds: UInt64 = 1

    /// A verifier for `config`, sharing `tracker` (and its cache) if given; `clock` gives Unix seconds.
    /// `contractSource` reads contract-mode validators from state (ignored when `tracker` is given).
    public init(config: QBFTConfig, tracker: QBFTValidatorTracker? = nil,
                contractSource: (any ContractValidatorSource)? = nil,
                clock: @escaping @Sendable () -> UInt64 = WallClock.unixSeconds) {
        self.config = config
        self.tracker = tracker ?? QBFTValidatorTracker(config: config, contractSource: contractSource)
        self.clock = clock
    }


    /// The proposer of `header` (Besu `BftBlockInterface.getProposerOfBlock`: the coinbase).
    public func author(of header: BlockHeader) throws(ConsensusError) -> Address {
        _ = try QBFTValidatorTracker.extraData(header)
        return header.coinbase
    }

    /// Applies rules 1–7 above to `header` as the child of `parent`; `chain` must serve headers by on-chain hash.
    public func verifyHeader(_ header: BlockHeader, parent: BlockHeader,
                             chain: any ChainHeaderReader) throws(ConsensusError) {
        let parentHash = try QBFTValidatorTracker.hash(parent)
        guard header.parentHash == parentHash, parent.number < UInt64.max, header.number == parent.number + 1 else {
            throw .unknownAncestor(header.parentHash)
        }
        if header.timestamp > clock() &+ Self.allowedFutureSeconds { throw .futureBlock }
        let (earliest, overflow) = parent.timestamp.addingReportingOverflow(config.blockPeriodSeconds)
        guard !overflow, header.timestamp >= earliest else {
            throw .invalidTimestamp("\(header.timestamp) is earlier than parent \(parent.timestamp) + period \(config.blockPeriodSeconds)")
        }
        try Self.verifyGasLimit(header, parent: parent)
        let extra = try Self.verifyStandaloneFields(header)
        let validators = try expectedValidators(header, extra: extra, parent: parent, chain: chain)
        guard validators.contains(header.coinbase) else { throw .unauthorizedSigner(header.coinbase) }
        try Self.verifyCommitSeals(header, extra: extra, validators: validators)
    }

    /// The validators `header` must list and be sealed by. Vote mode: the tally after the parent. Contract mode:
    /// the contract's list in the parent's state; without state (a light client) the header's own list, which
    /// its quorum of commit seals then vouches for.
    func expectedValidators(_ header: BlockHeader, extra: QBFTExtraData, parent: BlockHeader,
                            chain: any ChainHeaderReader) throws(ConsensusError) -> [Address] {
        guard config.usesValidatorContract else {
            let validators = try tracker.validators(after: parent, chain: chain)
            guard extra.validators == validators else {
                throw .invalidExtraData("validators \(extra.validators) differ from the set after the parent \(validators)")
            }
            return validators
        }
        if let vote = extra.vote {
            throw .invalidVote("block #\(header.number) votes on \(vote.recipient): validators come from the Governance contract, not header votes")
        }
        guard tracker.contractSource != nil else { return extra.validators }
        let validators = try tracker.validators(after: parent, chain: chain)
        guard extra.validators == validators else {
            throw .invalidExtraData("block #\(header.number) lists validators \(extra.validators), but the Governance contract "
                                    + "lists \(validators) in the state of its parent #\(parent.number)")
        }
        return validators
    }

    /// The checks that need no other header; returns the parsed extraData.
    static func verifyStandaloneFields(_ header: BlockHeader) throws(ConsensusError) -> QBFTExtraData {
        let extra = try QBFTValidatorTracker.extraData(header)
        guard extra.vanity.count == QBFTExtraData.vanityLength else {
            throw .invalidExtraData("vanity is \(extra.vanity.count) bytes, expected 32")
        }
        guard extra.validators == extra.validators.sorted(), Set(extra.validators).count == extra.validators.count else {
            throw .invalidExtraData("validators must be distinct and in ascending order")
        }
        guard header.mixHash == QBFTHeaderConstants.mixHash else { throw .invalidMixDigest }
        guard header.difficulty == QBFTHeaderConstants.difficulty else {
            throw .invalidDifficulty(got: header.difficulty, expected: QBFTHeaderConstants.difficulty)
        }
        guard header.nonce == QBFTHeaderConstants.nonce else { throw .invalidVote("nonce must be 0 in QBFT (votes live in extraData)") }
        guard header.ommersHash == BlockHeader.emptyOmmersHash else { throw .invalidOmmersHash }
        return extra
    }

    /// Commit seals: each recovers (over the commit-seal hash) to a validator, none twice, at least a quorum.
    static func verifyCommitSeals(_ header: BlockHeader, extra: QBFTExtraData,
                                  validators: [Address]) throws(ConsensusError) {
        let digest = QBFTBlockHashing.commitSealHash(header, extraData: extra)
        var committers = Set<Address>()
        for (index, seal) in extra.commitSeals.enumerated() {
            let committer: Address
            do { committer = try seal.recoverSigner(digest) } catch {
                throw .invalidSeal("commit seal \(index): \(error)")
            }
            guard validators.contains(committer) else {
                throw .invalidSeal("commit seal \(index) is by \(committer), not a validator")
            }
            guard committers.insert(committer).inserted else {
                throw .invalidSeal("commit seal \(index) duplicates \(committer)'s seal")
            }
        }
        let quorum = QBFTQuorum.required(validatorCount: validators.count)
        guard committers.count >= quorum else {
            throw .invalidSeal("\(committers.count) commit seals; a quorum of \(quorum) of \(validators.count) validators is required")
        }
    }

    /// Besu `GasUsageValidationRule` and `GasLimitRangeAndDeltaValidationRule` (without a London transition).
    static func verifyGasLimit(_ header: BlockHeader, parent: BlockHeader) throws(ConsensusError) {
        guard header.gasUsed <= header.gasLimit else {
            throw .invalidGasLimit("gas used \(header.gasUsed) exceeds the gas limit \(header.gasLimit)")
        }
        guard header.gasLimit >= 5000, header.gasLimit <= 0x7fff_ffff_ffff_ffff else {
            throw .invalidGasLimit("\(header.gasLimit) is outside [5000, 2^63-1]")
        }
        let difference = header.gasLimit > parent.gasLimit ? header.gasLimit - parent.gasLimit : parent.gasLimit - header.gasLimit
        guard difference < parent.gasLimit / 1024 || difference == 0 else {
            throw .invalidGasLimit("\(header.gasLimit) moves more than 1/1024 from the parent's \(parent.gasLimit)")
        }
    }
}

extension QBFTHeaderVerifier {
    /// The validators in force for the child of `header` (RPC `qbft_getValidatorsByBlockHash`).
    public func validators(after header: BlockHeader, chain: any ChainHeaderReader) throws(ConsensusError) -> [Address] {
        try tracker.validators(after: header, chain: chain)
    }
}
