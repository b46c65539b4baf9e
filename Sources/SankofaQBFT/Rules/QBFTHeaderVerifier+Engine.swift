import SankofaChain
import SankofaConsensus
import SankofaPrimitives

/// QBFT as the import pipeline sees it: every block carries a quorum of commit seals, so it is final once imported
/// and a competing block at the same height is refused. Production is the `QBFTController` state machine.
extension QBFTHeaderVerifier: ConsensusEngine {
    public var forkChoice: ForkChoice { .immediateFinality }

    /// Every QBFT block weighs 1 (difficulty 1), so total difficulty is the height plus one, as eth/68 Status expects.
    public func weight(of header: BlockHeader) -> UInt256 { QBFTHeaderConstants.difficulty }
}
