import SankofaChain
import SankofaPrimitives

/// Accepts the PROPOSAL of one round (Besu `ProposalValidator` and `ProposalPayloadValidator`):
///
/// - signed by the round's proposer, for exactly this round, with a valid block for this height;
/// - round 0: no justification, and the block's coinbase is the author;
/// - later rounds: a quorum of ROUND-CHANGEs from distinct validators, all targeting this round, never naming two
///   digests for one prepared round; if any reports a prepared block, the proposal must re-propose the one with
///   the highest prepared round (same block, round replaced) with a quorum of that round's PREPAREs; otherwise a
///   fresh block whose coinbase is the author and no PREPAREs.
struct ProposalValidator {
    let context: HeightContext
    let round: UInt32
    let blockValidator: BlockConsensusValidator
    let roundChangeValidator: RoundChangeValidator

    func validate(_ proposal: Proposal) throws(MessageRejection) {
        let target = context.roundIdentifier(round)
        guard let expected = context.proposer(round: round), proposal.author == expected else {
            throw MessageRejection("PROPOSAL for \(target) from \(proposal.author), the proposer is \(context.proposer(round: round).map { "\($0)" } ?? "nobody")")
        }
        guard proposal.roundIdentifier == target else {
            throw MessageRejection("PROPOSAL for \(proposal.roundIdentifier), expected \(target)")
        }
        try blockValidator.validate(proposal.block)
        if round == 0 {
            guard proposal.roundChanges.isEmpty, proposal.prepares.isEmpty else {
                throw MessageRejection("a round-0 PROPOSAL carries no justification")
            }
            try requireCoinbaseIsAuthor(proposal)
            return
        }
        try validateRoundChanges(proposal.roundChanges, target: target)
        let latest = proposal.roundChanges
            .compactMap(\.payload.prepared)
            .max { $0.preparedRound < $1.preparedRound }
        guard let latest else {
            guard proposal.prepares.isEmpty else { throw MessageRejection("PREPAREs without a prepared ROUND-CHANGE") }
            try requireCoinbaseIsAuthor(proposal)
            return
        }
        let expectedDigest: Hash32
        do {
            let asPrepared = try QBFTBlockHashing.replacingRound(proposal.block.header, with: latest.preparedRound)
            expectedDigest = try QBFTBlockHashing.commitSealHash(asPrepared)
        } catch { throw MessageRejection("\(error)") }
        guard expectedDigest == latest.preparedBlockHash else {
            throw MessageRejection("PROPOSAL does not re-propose the block prepared in round \(latest.preparedRound)")
        }
        let prepares = PrepareValidator(validators: Set(context.validators),
                                        round: context.roundIdentifier(latest.preparedRound), digest: latest.preparedBlockHash)
        try prepares.validateCertificate(proposal.prepares, quorum: context.quorum)
    }

    private func requireCoinbaseIsAuthor(_ proposal: Proposal) throws(MessageRejection) {
        guard proposal.block.header.coinbase == proposal.author else {
            throw MessageRejection("PROPOSAL block coinbase \(proposal.block.header.coinbase) is not its author")
        }
    }

    private func validateRoundChanges(_ roundChanges: [SignedPayload<RoundChangePayload>],
                                      target: RoundIdentifier) throws(MessageRejection) {
        guard Set(roundChanges.map(\.author)).count == roundChanges.count else {
            throw MessageRejection("duplicate ROUND-CHANGE authors in the justification")
        }
        guard roundChanges.count >= context.quorum else {
            throw MessageRejection("\(roundChanges.count) ROUND-CHANGEs justify the PROPOSAL, a quorum of \(context.quorum) is required")
        }
        var digestByRound: [UInt32: Hash32] = [:]
        for roundChange in roundChanges {
            try roundChangeValidator.validatePayload(roundChange)
            guard roundChange.payload.roundIdentifier == target else {
                throw MessageRejection("a justifying ROUND-CHANGE targets \(roundChange.payload.roundIdentifier), not \(target)")
            }
            if let prepared = roundChange.payload.prepared {
                if let known = digestByRound[prepared.preparedRound], known != prepared.preparedBlockHash {
                    throw MessageRejection("ROUND-CHANGEs name two digests for prepared round \(prepared.preparedRound)")
                }
                digestByRound[prepared.preparedRound] = prepared.preparedBlockHash
            }
        }
    }
}
