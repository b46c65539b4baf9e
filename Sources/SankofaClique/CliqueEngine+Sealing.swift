import SankofaChain
import SankofaConsensus
import SankofaCrypto
import SankofaPrimitives

extension CliqueEngine {
    /// Fills the Clique fields of a header about to be built on `parent` by `signer` (geth `Prepare`):
    /// parent hash and number; a vote from the local proposals that would change something (none at
    /// checkpoints); the difficulty of `signer`'s turn; extraData = the header's vanity (cut or padded to 32
    /// bytes) ‖ the signers at checkpoints ‖ 65 zero bytes for the seal; zero mixHash; no uncles; and
    /// timestamp = max(parent + period, now).
    public func prepare(_ header: inout BlockHeader, parent: BlockHeader, signer: Address,
                        chain: any ChainHeaderReader) throws(ConsensusError) {
        guard parent.number < UInt64.max else { throw .unknownAncestor(parent.hash) }
        let snap = try snapshot(at: parent, chain: chain)
        header.parentHash = snap.hash
        header.number = parent.number + 1
        header.coinbase = .zero
        header.nonce = Snapshot.nonceDrop
        let checkpoint = config.isCheckpoint(header.number)
        if !checkpoint, let (address, authorize) = chooseVote(snap) {
            header.coinbase = address
            header.nonce = authorize ? Snapshot.nonceAuthorize : Snapshot.nonceDrop
        }
        header.difficulty = snap.isInTurn(header.number, signer: signer) ? Self.inTurnDifficulty : Self.outOfTurnDifficulty
        header.extraData = CliqueExtraData(vanity: header.extraData, signers: checkpoint ? snap.signers : []).bytes
        header.mixHash = .zero
        header.ommersHash = BlockHeader.emptyOmmersHash
        let (earliest, overflow) = parent.timestamp.addingReportingOverflow(config.period)
        guard !overflow else { throw .invalidTimestamp("parent timestamp \(parent.timestamp) + period overflows") }
        header.timestamp = max(earliest, clock())
    }

    /// One proposal worth voting on now, picked at random among them (as geth does) so all get votes.
    private func chooseVote(_ snap: Snapshot) -> (Address, Bool)? {
        let candidates = proposals.filter { snap.isMeaningfulVote(on: $0.key, authorize: $0.value) }
        guard let chosen = candidates.randomElement() else { return nil }
        return (chosen.key, chosen.value)
    }

    /// How long `signer` should wait before sealing `header` (geth `Seal`'s delay, without the wait until the
    /// header's timestamp, which the producer handles): zero in turn; a random wiggle in
    /// (0, (⌊N/2⌋+1) × 500 ms] out of turn, so in-turn blocks usually win; nil when `signer` is not authorized or
    /// signed one of the last ⌊N/2⌋+1 blocks.
    public func sealDelay(for header: BlockHeader, signer: Address,
                          chain: any ChainHeaderReader) throws(ConsensusError) -> Duration? {
        guard let parent = try read({ try chain.header(header.parentHash) }) else {
            throw .unknownAncestor(header.parentHash)
        }
        let snap = try snapshot(at: parent, chain: chain)
        guard snap.isAuthorized(signer), !snap.signedRecently(signer, before: header.number) else { return nil }
        if snap.isInTurn(header.number, signer: signer) { return .zero }
        let wiggleNanoseconds = Int64(snap.signers.count / 2 + 1) * 500_000_000
        return .nanoseconds(Int64.random(in: 1...wiggleNanoseconds))
    }

    /// `header` sealed by `key`: the EIP-225 signature over the seal hash written into the last 65 bytes of
    /// extraData (which `prepare` reserved). Authorization is not checked here; see `sealDelay`.
    public func seal(_ header: BlockHeader, with key: PrivateKey) throws(ConsensusError) -> BlockHeader {
        _ = try CliqueExtraData(parsing: header.extraData, checkpoint: config.isCheckpoint(header.number))
        let sealed = try CliqueSeal.sign(header, with: key)
        signersByBlock.insert(key.address, for: sealed.hash)
        return sealed
    }
}
