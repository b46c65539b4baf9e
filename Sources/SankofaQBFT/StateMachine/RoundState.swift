import SankofaCrypto
import SankofaPrimitives

/// The messages of one round and whether they add up to "prepared" and "committed" (Besu `RoundState`).
///
/// PREPAREs and COMMITs that arrive before the proposal are held unchecked (one per author) and checked once the
/// proposal is known. Prepared: the proposal plus ⌈2n/3⌉ PREPAREs; committed: the proposal plus ⌈2n/3⌉ COMMITs.
final class RoundState {
    let roundIdentifier: RoundIdentifier
    let context: HeightContext
    private let proposalValidator: ProposalValidator
    private(set) var proposal: Proposal?
    /// The proposal's digest (its commit-seal hash as proposed) and the hash its commit seals sign.
    private(set) var digest: Hash32?
    private(set) var commitDigest: Hash32?
    private var prepareValidator: PrepareValidator?
    private var commitValidator: CommitValidator?
    private var prepares: [Address: Prepare] = [:]
    private var prepareOrder: [Address] = []
    private var commits: [Address: Commit] = [:]
    private var commitOrder: [Address] = []

    init(roundIdentifier: RoundIdentifier, context: HeightContext, proposalValidator: ProposalValidator) {
        self.roundIdentifier = roundIdentifier
        self.context = context
        self.proposalValidator = proposalValidator
    }

    var isPrepared: Bool { proposal != nil && prepares.count >= context.quorum }
    var isCommitted: Bool { proposal != nil && commits.count >= context.quorum }
    var prepareCount: Int { prepares.count }
    /// Validators whose PREPARE or COMMIT counted here, so who hold the proposal.
    var voters: Set<Address> { Set(prepares.keys).union(commits.keys) }
    var commitCount: Int { commits.count }

    /// Accepts the round's first valid proposal; later ones are refused, so a proposer cannot switch blocks.
    func setProposal(_ proposal: Proposal, trusted: Bool) throws(MessageRejection) {
        guard self.proposal == nil else { throw MessageRejection("\(roundIdentifier) already has a proposal") }
        if !trusted { try proposalValidator.validate(proposal) }
        let digest: Hash32
        let commitDigest: Hash32
        do {
            digest = try QBFTBlockHashing.commitSealHash(proposal.block.header)
            let withRound = try QBFTBlockHashing.replacingRound(proposal.block.header, with: roundIdentifier.round)
            commitDigest = try QBFTBlockHashing.commitSealHash(withRound)
        } catch { throw MessageRejection("\(error)") }
        self.proposal = proposal
        self.digest = digest
        self.commitDigest = commitDigest
        let validators = Set(context.validators)
        let prepareValidator = PrepareValidator(validators: validators, round: roundIdentifier, digest: digest)
        let commitValidator = CommitValidator(validators: validators, round: roundIdentifier, digest: digest,
                                              commitDigest: commitDigest)
        self.prepareValidator = prepareValidator
        self.commitValidator = commitValidator
        prepareOrder.removeAll { author in
            guard let held = prepares[author], (try? prepareValidator.validate(held)) != nil else {
                prepares[author] = nil
                return true
            }
            return false
        }
        commitOrder.removeAll { author in
            guard let held = commits[author], (try? commitValidator.validate(held)) != nil else {
                commits[author] = nil
                return true
            }
            return false
        }
    }

    /// Adds a PREPARE (the first per author counts).
    func addPrepare(_ prepare: Prepare, trusted: Bool = false) throws(MessageRejection) {
        if !trusted, let prepareValidator { try prepareValidator.validate(prepare) }
        guard prepares[prepare.author] == nil else { return }
        prepares[prepare.author] = prepare
        prepareOrder.append(prepare.author)
    }

    /// Adds a COMMIT (the first per author counts).
    func addCommit(_ commit: Commit, trusted: Bool = false) throws(MessageRejection) {
        if !trusted, let commitValidator { try commitValidator.validate(commit) }
        guard commits[commit.author] == nil else { return }
        commits[commit.author] = commit
        commitOrder.append(commit.author)
    }

    /// The seals of the counted COMMITs, in the validators' order (not arrival order), so that nodes that counted
    /// the same COMMITs store byte-identical headers: arrival order differs from node to node, the more so since
    /// every message also reaches every peer (hot standby routing).
    var commitSeals: [RecoverableSignature] { context.validators.compactMap { commits[$0]?.payload.commitSeal } }

    /// The proof this round prepared its proposal, if it did.
    var preparedCertificate: PreparedCertificate? {
        guard isPrepared, let proposal else { return nil }
        return PreparedCertificate(block: proposal.block, prepares: prepareOrder.compactMap { prepares[$0] },
                                   round: roundIdentifier.round)
    }
}
