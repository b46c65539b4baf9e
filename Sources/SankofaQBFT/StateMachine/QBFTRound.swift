import SankofaChain
import SankofaConsensus
import SankofaPrimitives

/// One round at one height (Besu `QbftRound`): proposes when the local node is the proposer, answers a valid
/// proposal with a PREPARE, sends a COMMIT with its commit seal once prepared, and imports the sealed block once
/// committed. Starting a round arms its round timer.
final class QBFTRound {
    let state: RoundState
    private let env: QBFTEnvironment
    private var sentCommit = false
    private(set) var imported = false
    /// When this round's proposal was accepted (consensus clock), for the proposal-to-commit time.
    private var proposalAcceptedAt: UInt64?

    init(state: RoundState, env: QBFTEnvironment) {
        self.state = state
        self.env = env
        let timeout = env.config.roundTimeoutMilliseconds(round: state.roundIdentifier.round)
        env.clock.startTimer(ConsensusTimer(name: QBFTEnvironment.roundTimerName, height: state.roundIdentifier.height,
                                            round: state.roundIdentifier.round),
                             deadlineMilliseconds: env.clock.nowMilliseconds &+ timeout)
    }

    var roundIdentifier: RoundIdentifier { state.roundIdentifier }
    private var context: HeightContext { state.context }

    /// A new block on the parent for this round, built and executed by the node's builder.
    func createBlock() throws -> Block {
        let nowSeconds = (env.clock.nowMilliseconds + 500) / 1000
        let earliest = context.parent.timestamp &+ env.config.blockPeriodSeconds
        let extra = QBFTExtraData(validators: context.validators, vote: env.vote(for: context),
                                  round: roundIdentifier.round)
        let template = BlockTemplate(parent: context.parent, parentHash: context.parentHash, number: context.height,
                                     timestamp: max(nowSeconds, earliest), coinbase: env.address,
                                     extraData: extra.encoded(), difficulty: QBFTHeaderConstants.difficulty,
                                     mixHash: QBFTHeaderConstants.mixHash, nonce: QBFTHeaderConstants.nonce)
        return try env.blockBuilder.buildBlock(template)
    }

    /// Starts a round after a round change (Besu `startRoundWith`): re-proposes the best prepared block with this
    /// round written in, or builds a fresh one.
    func start(with artifacts: RoundChangeArtifacts) throws {
        if let prepared = artifacts.bestPrepared {
            var block = prepared.block
            block.header = try QBFTBlockHashing.replacingRound(block.header, with: roundIdentifier.round)
            propose(block, roundChanges: artifacts.roundChanges, prepares: prepared.prepares)
        } else {
            propose(try createBlock(), roundChanges: artifacts.roundChanges, prepares: [])
        }
    }

    /// Signs and multicasts a PROPOSAL, then acts on it locally.
    func propose(_ block: Block, roundChanges: [SignedPayload<RoundChangePayload>], prepares: [Prepare]) {
        guard let digest = try? QBFTBlockHashing.commitSealHash(block.header),
              env.permits(intent(digest)) else { return }
        let proposal = Proposal(signedPayload: env.sign(ProposalPayload(roundIdentifier: roundIdentifier, block: block)),
                                roundChanges: roundChanges, prepares: prepares)
        env.multicast(.proposal(proposal), in: context)
        env.counters.proposalsMade += 1
        try? accept(proposal, trusted: true)
    }

    /// A peer's proposal; `trusted` when the caller has already validated it.
    func handleProposal(_ proposal: Proposal, trusted: Bool) throws(MessageRejection) {
        try accept(proposal, trusted: trusted)
        env.counters.proposalsReceived += 1
    }

    func handlePrepare(_ prepare: Prepare) throws(MessageRejection) {
        try state.addPrepare(prepare)
        advance()
    }

    func handleCommit(_ commit: Commit) throws(MessageRejection) {
        try state.addCommit(commit)
        advance()
    }

    private func accept(_ proposal: Proposal, trusted: Bool) throws(MessageRejection) {
        try state.setProposal(proposal, trusted: trusted)
        proposalAcceptedAt = env.clock.nowMilliseconds
        if let digest = state.digest, env.permits(intent(digest)) {
            let prepare = env.sign(PreparePayload(roundIdentifier: roundIdentifier, digest: digest))
            try? state.addPrepare(prepare, trusted: true)
            env.multicast(.prepare(prepare), in: context)
        }
        advance()
    }

    /// What signing a PROPOSAL, PREPARE or COMMIT for `digest` in this round commits the key to.
    private func intent(_ digest: Hash32) -> SigningIntent {
        SigningIntent(height: roundIdentifier.height, round: roundIdentifier.round, blockHash: digest)
    }

    /// Sends the local COMMIT on becoming prepared and imports on becoming committed, each once.
    private func advance() {
        if state.isPrepared, !sentCommit, let digest = state.digest, let commitDigest = state.commitDigest {
            sentCommit = true
            if env.permits(intent(digest)) {
                let commit = env.sign(CommitPayload(roundIdentifier: roundIdentifier, digest: digest,
                                                    commitSeal: env.seal(commitDigest)))
                try? state.addCommit(commit, trusted: true)
                env.multicast(.commit(commit), in: context)
            }
        }
        if state.isCommitted, !imported, let proposal = state.proposal {
            imported = true
            do {
                var block = proposal.block
                block.header = try QBFTBlockHashing.sealed(block.header, round: roundIdentifier.round,
                                                           commitSeals: state.commitSeals)
                try env.importer.importBlock(block)
                env.counters.blocksCommitted += 1
                if let proposalAcceptedAt {
                    let now = env.clock.nowMilliseconds
                    env.counters.lastProposalToCommitMilliseconds = now >= proposalAcceptedAt ? now - proposalAcceptedAt : 0
                }
            } catch {
                env.lastImportError = "\(error)"
            }
        }
    }
}
