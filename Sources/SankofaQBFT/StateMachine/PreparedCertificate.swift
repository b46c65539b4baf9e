import SankofaChain

/// Proof that a block was prepared in a round: the block and a quorum of PREPAREs naming its digest (Besu
/// `PreparedCertificate`). A validator carries its latest one into every ROUND-CHANGE it sends.
public struct PreparedCertificate: Hashable, Sendable {
    /// The block as proposed in `round` (its extraData carries that round).
    public let block: Block
    public let prepares: [Prepare]
    public let round: UInt32

    public init(block: Block, prepares: [Prepare], round: UInt32) {
        self.block = block
        self.prepares = prepares
        self.round = round
    }
}

/// What a proposer needs to start a round after a round change: the quorum of ROUND-CHANGE payloads that
/// justify it and the best prepared certificate among them (Besu `RoundChangeArtifacts`).
public struct RoundChangeArtifacts: Sendable {
    public let roundChanges: [SignedPayload<RoundChangePayload>]
    /// From the ROUND-CHANGE with the highest prepared round that carries its block.
    public let bestPrepared: PreparedCertificate?

    /// The artifacts of a round-change certificate (a quorum of validated ROUND-CHANGEs for one round).
    public init(_ certificate: [RoundChange]) {
        roundChanges = certificate.map(\.signedPayload)
        let best = certificate
            .filter { $0.prepared != nil && $0.preparedBlock != nil }
            .max { ($0.prepared?.preparedRound ?? 0) < ($1.prepared?.preparedRound ?? 0) }
        if let best, let block = best.preparedBlock, let metadata = best.prepared {
            bestPrepared = PreparedCertificate(block: block, prepares: best.prepares, round: metadata.preparedRound)
        } else {
            bestPrepared = nil
        }
    }
}
