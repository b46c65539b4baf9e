import SankofaChain
import SankofaPrimitives

/// Accepts a ROUND-CHANGE for the current height (Besu `RoundChangeMessageValidator` and
/// `RoundChangePayloadValidator`): from a validator, to a round above 0, reporting a prepared round below the
/// target; and, when it carries a prepared block, the block is valid, its commit-seal hash is the reported
/// digest and a quorum of PREPAREs from that round proves it.
struct RoundChangeValidator {
    let context: HeightContext
    let blockValidator: BlockConsensusValidator

    func validatePayload(_ signed: SignedPayload<RoundChangePayload>) throws(MessageRejection) {
        guard context.isValidator(signed.author) else { throw MessageRejection("ROUND-CHANGE from non-validator \(signed.author)") }
        let payload = signed.payload
        guard payload.roundIdentifier.height == context.height else {
            throw MessageRejection("ROUND-CHANGE for height \(payload.roundIdentifier.height), expected \(context.height)")
        }
        guard payload.roundIdentifier.round > 0 else { throw MessageRejection("ROUND-CHANGE to round 0") }
        if let prepared = payload.prepared, prepared.preparedRound >= payload.roundIdentifier.round {
            throw MessageRejection("ROUND-CHANGE prepared round \(prepared.preparedRound) is not below its target")
        }
    }

    func validate(_ roundChange: RoundChange) throws(MessageRejection) {
        try validatePayload(roundChange.signedPayload)
        guard let block = roundChange.preparedBlock else {
            guard roundChange.prepared == nil else { throw MessageRejection("ROUND-CHANGE reports a prepared round without its block") }
            guard roundChange.prepares.isEmpty else { throw MessageRejection("ROUND-CHANGE carries PREPAREs without a block") }
            return
        }
        guard let metadata = roundChange.prepared else { throw MessageRejection("ROUND-CHANGE carries a block but no prepared round") }
        try blockValidator.validate(block)
        let digest: Hash32
        do { digest = try QBFTBlockHashing.commitSealHash(block.header) } catch { throw MessageRejection("\(error)") }
        guard digest == metadata.preparedBlockHash else {
            throw MessageRejection("ROUND-CHANGE block digest \(digest) is not the prepared digest \(metadata.preparedBlockHash)")
        }
        let prepares = PrepareValidator(validators: Set(context.validators),
                                        round: context.roundIdentifier(metadata.preparedRound), digest: digest)
        try prepares.validateCertificate(roundChange.prepares, quorum: context.quorum)
    }
}
