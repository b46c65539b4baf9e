import SankofaPrimitives

/// Accepts a PREPARE for one round and one proposal (Besu `PrepareValidator`): from a validator, for exactly
/// that round, naming that proposal's digest.
struct PrepareValidator {
    let validators: Set<Address>
    let round: RoundIdentifier
    let digest: Hash32

    func validate(_ prepare: Prepare) throws(MessageRejection) {
        guard validators.contains(prepare.author) else { throw MessageRejection("PREPARE from non-validator \(prepare.author)") }
        guard prepare.payload.roundIdentifier == round else {
            throw MessageRejection("PREPARE for \(prepare.payload.roundIdentifier), expected \(round)")
        }
        guard prepare.payload.digest == digest else {
            throw MessageRejection("PREPARE names digest \(prepare.payload.digest), the proposal is \(digest)")
        }
    }

    /// A set of PREPAREs that proves preparation: distinct authors, at least `quorum`, each valid.
    func validateCertificate(_ prepares: [Prepare], quorum: Int) throws(MessageRejection) {
        guard Set(prepares.map(\.author)).count == prepares.count else { throw MessageRejection("duplicate PREPARE authors") }
        guard prepares.count >= quorum else {
            throw MessageRejection("\(prepares.count) PREPAREs, a quorum of \(quorum) is required")
        }
        for prepare in prepares { try validate(prepare) }
    }
}
