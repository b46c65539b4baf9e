import SankofaPrimitives

/// Accepts a COMMIT for one round and one proposal (Besu `CommitValidator`): from a validator, for exactly that
/// round, naming the proposal's digest, with a commit seal by its author over the commit-seal hash.
struct CommitValidator {
    let validators: Set<Address>
    let round: RoundIdentifier
    let digest: Hash32
    /// The proposal's commit-seal hash with this round written in.
    let commitDigest: Hash32

    func validate(_ commit: Commit) throws(MessageRejection) {
        guard validators.contains(commit.author) else { throw MessageRejection("COMMIT from non-validator \(commit.author)") }
        guard commit.payload.roundIdentifier == round else {
            throw MessageRejection("COMMIT for \(commit.payload.roundIdentifier), expected \(round)")
        }
        guard commit.payload.digest == digest else {
            throw MessageRejection("COMMIT names digest \(commit.payload.digest), the proposal is \(digest)")
        }
        let sealer: Address
        do { sealer = try commit.payload.commitSeal.recoverSigner(commitDigest) } catch {
            throw MessageRejection("COMMIT seal: \(error)")
        }
        guard sealer == commit.author else {
            throw MessageRejection("COMMIT seal is by \(sealer), the message by \(commit.author)")
        }
    }
}
