import SankofaChain
import SankofaPrimitives

/// Everything fixed for one height: the parent, the validators in force and the quorum they need.
public struct HeightContext: Sendable {
    public let parent: BlockHeader
    /// The parent's on-chain hash: the `parentHash` every proposal must carry.
    public let parentHash: Hash32
    /// The height being decided.
    public let height: UInt64
    /// Validators after the parent, sorted ascending.
    public let validators: [Address]
    /// ⌈2n/3⌉.
    public let quorum: Int
    private let validatorSet: Set<Address>

    public init(parent: BlockHeader, parentHash: Hash32, validators: [Address]) {
        self.parent = parent
        self.parentHash = parentHash
        self.height = parent.number &+ 1
        self.validators = validators.sorted()
        self.validatorSet = Set(validators)
        self.quorum = QBFTQuorum.required(validatorCount: validators.count)
    }

    public func isValidator(_ address: Address) -> Bool { validatorSet.contains(address) }

    /// The proposer of `round` at this height: round-robin from the parent's proposer (its coinbase).
    public func proposer(round: UInt32) -> Address? {
        ProposerSelector.proposer(round: round, previousProposer: parent.coinbase, validators: validators)
    }

    public func roundIdentifier(_ round: UInt32) -> RoundIdentifier { RoundIdentifier(height: height, round: round) }
}
