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
    /// The validator that sealed `header`, recovered from its seal.
    func author(of header: BlockHeader) throws(ConsensusError) -> Address
}

/// A full consensus engine: verification plus what a validator needs to produce blocks. A producer service
/// drives it — `prepare`, build the body, `sealDelay`, wait, `seal` — and the import pipeline uses `weight` for
/// fork choice.
public protocol ConsensusEngine: HeaderVerifier {
    /// The validators allowed to seal the child of `header` (for Clique, the signers after applying `header`).
    func validators(after header: BlockHeader, chain: any ChainHeaderReader) throws(ConsensusError) -> [Address]
    /// Fills consensus fields of a header about to be built on `parent` by `signer` (difficulty, extraData
    /// vanity/checkpoint signers/space for the seal, coinbase+nonce vote, mixHash, timestamp ≥ parent + period).
    func prepare(_ header: inout BlockHeader, parent: BlockHeader, signer: Address,
                 chain: any ChainHeaderReader) throws(ConsensusError)
    /// How long `signer` must wait before sealing `header` (0 in turn; a random wiggle out of turn), or nil if it
    /// may not seal now (not authorized, or signed recently).
    func sealDelay(for header: BlockHeader, signer: Address, chain: any ChainHeaderReader) throws(ConsensusError) -> Duration?
    /// `header` with its seal (a signature by `key`) written in.
    func seal(_ header: BlockHeader, with key: PrivateKey) throws(ConsensusError) -> BlockHeader
    /// Fork choice weight (Clique: total difficulty contribution of a header = its difficulty).
    func weight(of header: BlockHeader) -> UInt256
}
