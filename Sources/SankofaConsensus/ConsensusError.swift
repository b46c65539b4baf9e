import SankofaPrimitives

/// Why a header was refused by a consensus engine. Each message names the rule (EIP-225 for Clique) and what
/// a node operator can check: a clock, a signer key, a vote, a peer sending bad data.
public enum ConsensusError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The parent (or an older ancestor needed to rebuild the validator set) is not known, or `header` does not
    /// link to the given parent (hash or number).
    case unknownAncestor(Hash32)
    /// extraData does not have the engine's layout (Clique: 32-byte vanity ‖ signers at checkpoints ‖ 65-byte seal).
    case invalidExtraData(String)
    /// The seal is missing, malformed or recovers to no key.
    case invalidSeal(String)
    /// The header was sealed by an address that is not a validator at its parent.
    case unauthorizedSigner(Address)
    /// The sealer signed one of the last ⌊N/2⌋ blocks (EIP-225 `SIGNER_LIMIT`) and must let others sign first.
    case recentlySigned(Address)
    /// The difficulty does not match the sealer's turn (Clique: 2 in turn, 1 out of turn).
    case invalidDifficulty(got: UInt256, expected: UInt256)
    /// The timestamp breaks the block period or ordering rules.
    case invalidTimestamp(String)
    /// The vote fields (Clique: coinbase and nonce) are malformed or not allowed in this block.
    case invalidVote(String)
    /// A checkpoint header lists a validator set that differs from the one computed from the chain.
    case invalidCheckpointSigners
    /// mixHash must be zero (Clique reserves it).
    case invalidMixDigest
    /// ommersHash must be keccak256(rlp([])): PoA blocks have no uncles.
    case invalidOmmersHash
    /// The header's gas limit or gas used breaks the bounds relative to its parent.
    case invalidGasLimit(String)
    /// The header carries a field of a fork this engine does not support (withdrawals, blob gas, beacon root).
    case unsupportedField(String)
    /// The timestamp is ahead of the local clock: retry later, or check this node's clock.
    case futureBlock
    /// Reading the chain or the engine's own store failed.
    case storage(String)

    public var description: String {
        switch self {
        case .unknownAncestor(let hash): "unknown ancestor \(hash): the parent chain is not available"
        case .invalidExtraData(let why): "invalid extraData: \(why)"
        case .invalidSeal(let why): "invalid seal: \(why)"
        case .unauthorizedSigner(let signer): "unauthorized signer \(signer): not in the validator set at the parent"
        case .recentlySigned(let signer):
            "signer \(signer) signed recently: it may seal only one of any ⌊N/2⌋+1 consecutive blocks"
        case .invalidDifficulty(let got, let expected): "invalid difficulty \(got), expected \(expected)"
        case .invalidTimestamp(let why): "invalid timestamp: \(why)"
        case .invalidVote(let why): "invalid vote: \(why)"
        case .invalidCheckpointSigners: "checkpoint signer list differs from the validator set computed from the chain"
        case .invalidMixDigest: "mixHash must be zero"
        case .invalidOmmersHash: "ommersHash must be the empty-list hash: uncles are not allowed"
        case .invalidGasLimit(let why): "invalid gas limit: \(why)"
        case .unsupportedField(let field): "header field \(field) is not supported by this consensus engine"
        case .futureBlock: "block timestamp is in the future: check this node's clock, or wait"
        case .storage(let why): "consensus storage failure: \(why)"
        }
    }
}
