import SankofaChain
import SankofaConsensus
import SankofaPrimitives

extension CliqueEngine {
    /// EIP-225 difficulty of an in-turn block (`DIFF_INTURN`).
    public static let inTurnDifficulty = UInt256(2)
    /// EIP-225 difficulty of an out-of-turn block (`DIFF_NOTURN`).
    public static let outOfTurnDifficulty = UInt256(1)

    /// Verifies `header` as the child of `parent` (EIP-225 §Block validity, in geth's order): timestamp not in
    /// the future; links to `parent`; vote fields (checkpoints carry no vote); extraData layout; zero mixHash;
    /// no uncles; no post-Shanghai fields; gas limit bounds; timestamp ≥ parent + period; checkpoint signer
    /// list equal to the snapshot's; and the seal: an authorized signer, not recent, with the difficulty of its
    /// turn.
    public func verifyHeader(_ header: BlockHeader, parent: BlockHeader,
                             chain: any ChainHeaderReader) throws(ConsensusError) {
        if header.timestamp > clock() { throw .futureBlock }
        let parentHash = parent.hash
        guard header.parentHash == parentHash, parent.number < UInt64.max, header.number == parent.number + 1 else {
            throw .unknownAncestor(header.parentHash)
        }
        let extra = try verifyStandaloneFields(header)
        try verifyGasLimit(header, parent: parent)
        let (earliest, overflow) = parent.timestamp.addingReportingOverflow(config.period)
        guard !overflow, header.timestamp >= earliest else {
            throw .invalidTimestamp("\(header.timestamp) is earlier than parent \(parent.timestamp) + period \(config.period)")
        }
        let snap = try snapshot(at: parent, chain: chain)
        if config.isCheckpoint(header.number) && extra.signers != snap.signers { throw .invalidCheckpointSigners }
        try verifySeal(header, snapshot: snap)
    }

    /// The checks that need no other header; returns the parsed extraData.
    func verifyStandaloneFields(_ header: BlockHeader) throws(ConsensusError) -> CliqueExtraData {
        let checkpoint = config.isCheckpoint(header.number)
        if checkpoint && header.coinbase != .zero {
            throw .invalidVote("checkpoint block \(header.number) must have a zero coinbase")
        }
        guard header.nonce == Snapshot.nonceAuthorize || header.nonce == Snapshot.nonceDrop else {
            throw .invalidVote("nonce must be 0x0000000000000000 (drop) or 0xffffffffffffffff (authorize)")
        }
        if checkpoint && header.nonce != Snapshot.nonceDrop {
            throw .invalidVote("checkpoint block \(header.number) must have a zero nonce")
        }
        let extra = try CliqueExtraData(parsing: header.extraData, checkpoint: checkpoint)
        guard header.mixHash.isZero else { throw .invalidMixDigest }
        guard header.ommersHash == BlockHeader.emptyOmmersHash else { throw .invalidOmmersHash }
        if header.withdrawalsRoot != nil { throw .unsupportedField("withdrawalsRoot (Shanghai)") }
        if header.blobGasUsed != nil || header.excessBlobGas != nil { throw .unsupportedField("blob gas (Cancun)") }
        if header.parentBeaconBlockRoot != nil { throw .unsupportedField("parentBeaconBlockRoot (Cancun)") }
        return extra
    }

    /// Gas limit rules Clique shares with every Ethereum engine (geth `VerifyGaslimit`): at most 2^63-1, at least
    /// 5000, gas used within it, and a change from the parent of less than 1/1024 — the parent's limit counting
    /// double at the first London block (EIP-1559 elasticity). The base fee itself is checked by execution.
    func verifyGasLimit(_ header: BlockHeader, parent: BlockHeader) throws(ConsensusError) {
        guard header.gasLimit <= 0x7fff_ffff_ffff_ffff else { throw .invalidGasLimit("\(header.gasLimit) exceeds 2^63-1") }
        guard header.gasUsed <= header.gasLimit else {
            throw .invalidGasLimit("gas used \(header.gasUsed) exceeds the gas limit \(header.gasLimit)")
        }
        if parent.baseFeePerGas != nil && header.baseFeePerGas == nil {
            throw .invalidGasLimit("base fee missing after London")
        }
        var parentLimit = parent.gasLimit
        if header.baseFeePerGas != nil && parent.baseFeePerGas == nil {
            parentLimit = parentLimit > UInt64.max / 2 ? UInt64.max : parentLimit * 2
        }
        let difference = header.gasLimit > parentLimit ? header.gasLimit - parentLimit : parentLimit - header.gasLimit
        guard difference < parentLimit / 1024 else {
            throw .invalidGasLimit("\(header.gasLimit) moves more than 1/1024 from the parent's \(parentLimit)")
        }
        guard header.gasLimit >= 5000 else { throw .invalidGasLimit("\(header.gasLimit) is below the minimum of 5000") }
    }

    /// EIP-225 seal rules against the snapshot at the parent: the signer is authorized, did not sign within the
    /// last ⌊N/2⌋+1 blocks, and set the difficulty of its turn.
    func verifySeal(_ header: BlockHeader, snapshot snap: Snapshot) throws(ConsensusError) {
        let signer = try author(of: header)
        guard snap.isAuthorized(signer) else { throw .unauthorizedSigner(signer) }
        if snap.signedRecently(signer, before: header.number) { throw .recentlySigned(signer) }
        let expected = snap.isInTurn(header.number, signer: signer) ? Self.inTurnDifficulty : Self.outOfTurnDifficulty
        guard header.difficulty == expected else { throw .invalidDifficulty(got: header.difficulty, expected: expected) }
    }
}
