import SankofaChain
import SankofaCrypto
import SankofaPrimitives

/// All a light client needs of a consensus engine: whether a header may follow its parent, and who sealed it
/// (geth `consensus.Engine`'s `VerifyHeader` and `Author`).
public protocol HeaderVerifier: Sendable {
    /// Checks every consensus rule of `header` as the child of `parent`: its standalone fields, the fields that
    /// depend on `parent`, and the seal against the validator set in force at `parent`. The chain is read only
    /// to rebuild that validator set; `parent` need not be stored in it yet.
    func verifyHeader(_ header: BlockHeader, parent: BlockHeader, chain: any ChainHeaderReader) throws(ConsensusError)
    /// The validator that sealed (Clique) or proposed (QBFT) `header`.
    func author(of header: BlockHeader) throws(ConsensusError) -> Address
    /// Does ahead of time, on every core, the part of verifying `headers` that needs no other header — signature
    /// recovery — so that the `verifyHeader` calls that follow, one by one, find it done. A header sync calls it per
    /// batch; an engine that caches nothing leaves it empty (the default).
    func precompute(verifying headers: [BlockHeader])
}

extension HeaderVerifier {
    public func precompute(verifying headers: [BlockHeader]) {}
}

/// How an engine chooses the canonical chain, and when a block is final.
public enum ForkChoice: Sendable, Equatable {
    /// The branch with the greatest total `weight` wins, and may replace recent blocks: nothing is final
    /// (Clique, EIP-225).
    case heaviestChain
    /// Every imported block is final: a competing block at an imported height is refused, never reorged
    /// (QBFT: a block needs a quorum of commit seals).
    case immediateFinality
}

/// What a full node needs of an engine beyond verification: its fork-choice rule and the validator set. How
/// blocks are produced is each engine's own service (Clique: `SealingEngine` and a producer loop; QBFT: a state
/// machine behind the ports in `ConsensusPorts.swift`).
public protocol ConsensusEngine: HeaderVerifier {
    /// The rule `Blockchain` applies to every imported block.
    var forkChoice: ForkChoice { get }
    /// The contribution of `header` to its branch's total weight (Clique: its difficulty; BFT engines: 1).
    func weight(of header: BlockHeader) -> UInt256
    /// The validators allowed to seal or vote on the child of `header`.
    func validators(after header: BlockHeader, chain: any ChainHeaderReader) throws(ConsensusError) -> [Address]
}

/// An engine in which one validator seals a block alone, in turn or after a delay (Clique). A producer drives it:
/// `prepare`, build the body, `sealDelay`, wait, `seal`.
public protocol SealingEngine: ConsensusEngine {
    /// Fills consensus fields of a header about to be built on `parent` by `signer` (difficulty, extraData
    /// vanity/checkpoint signers/space for the seal, coinbase+nonce vote, mixHash, timestamp ≥ parent + period).
    func prepare(_ header: inout BlockHeader, parent: BlockHeader, signer: Address,
                 chain: any ChainHeaderReader) throws(ConsensusError)
    /// How long `signer` must wait before sealing `header` (0 in turn; a random wiggle out of turn), or nil if it
    /// may not seal now (not authorized, or signed recently).
    func sealDelay(for header: BlockHeader, signer: Address, chain: any ChainHeaderReader) throws(ConsensusError) -> Duration?
    /// `header` with its seal (a signature by `key`) written in.
    func seal(_ header: BlockHeader, with key: PrivateKey) throws(ConsensusError) -> BlockHeader
}
