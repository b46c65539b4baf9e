import SankofaPrimitives

/// The validator set and the votes pending since the last epoch (Besu `VoteTally`). Votes come from block
/// proposers; a subject is added or dropped once more than half of the current validators (⌊n/2⌋+1) vote the
/// same way. A dropped validator's own pending votes are forgotten.
public struct ValidatorVoteTally: Hashable, Sendable {
    /// The current validators, sorted ascending.
    public private(set) var validators: [Address]
    private var addVotes: [Address: Set<Address>] = [:]
    private var dropVotes: [Address: Set<Address>] = [:]

    public init(validators: [Address]) {
        self.validators = Array(Set(validators)).sorted()
    }

    /// Votes needed to change the set: a strict majority of the current validators.
    public var threshold: Int { validators.count / 2 + 1 }

    /// Counts `vote` cast by `proposer` (Besu `VoteTally.addVote`). A new vote by the same proposer on the same
    /// subject replaces its earlier one.
    public mutating func apply(_ vote: QBFTVote, by proposer: Address) {
        let subject = vote.recipient
        switch vote.kind {
        case .add:
            addVotes[subject, default: []].insert(proposer)
            dropVotes[subject]?.remove(proposer)
        case .drop:
            dropVotes[subject, default: []].insert(proposer)
            addVotes[subject]?.remove(proposer)
        }
        if (addVotes[subject]?.count ?? 0) >= threshold {
            if !validators.contains(subject) { validators = (validators + [subject]).sorted() }
            addVotes[subject] = nil
            dropVotes[subject] = nil
        }
        if (dropVotes[subject]?.count ?? 0) >= threshold {
            validators.removeAll { $0 == subject }
            addVotes[subject] = nil
            dropVotes[subject] = nil
            for key in addVotes.keys { addVotes[key]?.remove(subject) }
            for key in dropVotes.keys { dropVotes[key]?.remove(subject) }
        }
    }

    /// Forgets every pending vote (at an epoch block).
    public mutating func discardPendingVotes() {
        addVotes = [:]
        dropVotes = [:]
    }

    /// Who has voted to add `subject` and not yet been counted out.
    public func pendingAddVotes(for subject: Address) -> Set<Address> { addVotes[subject] ?? [] }
    /// Who has voted to drop `subject`.
    public func pendingDropVotes(for subject: Address) -> Set<Address> { dropVotes[subject] ?? [] }
}
