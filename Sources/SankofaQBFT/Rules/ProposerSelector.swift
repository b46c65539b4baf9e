import SankofaPrimitives

/// Who proposes a round (Besu `BftProposerSelector` with `changeEachBlock = true`, as QBFT configures it):
/// round-robin over the sorted validators, starting one after the previous block's proposer (its coinbase) and
/// moving one further for every round.
public enum ProposerSelector {
    /// The proposer of `round` at a height whose parent was proposed by `previousProposer`.
    ///
    /// When the previous proposer is no longer a validator (dropped, or the zero coinbase of genesis), the
    /// validator after it in address order starts round 0, wrapping to the first (Besu `handleMissingProposer`).
    /// Returns nil only for an empty validator set.
    public static func proposer(round: UInt32, previousProposer: Address, validators unsorted: [Address]) -> Address? {
        let validators = unsorted.sorted()
        guard !validators.isEmpty else { return nil }
        let count = UInt64(validators.count)
        let start: UInt64
        let offset: UInt64
        if let index = validators.firstIndex(of: previousProposer) {
            start = UInt64(index)
            offset = UInt64(round) + 1
        } else {
            start = UInt64(validators.firstIndex { $0 > previousProposer } ?? 0)
            offset = UInt64(round)
        }
        return validators[Int((start + offset % count) % count)]
    }
}
