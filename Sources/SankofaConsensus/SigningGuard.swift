import SankofaPrimitives

/// What a validator is about to sign: a block at a height and round (Clique: round 0; QBFT: the round of the
/// message). Two intents at one height and round with different block hashes are an equivocation.
public struct SigningIntent: Hashable, Sendable, CustomStringConvertible {
    public var height: UInt64
    public var round: UInt32
    /// The hash of the block the signature commits to (Clique: the sealed block's hash).
    public var blockHash: Hash32

    public init(height: UInt64, round: UInt32, blockHash: Hash32) {
        self.height = height
        self.round = round
        self.blockHash = blockHash
    }

    /// A QBFT ROUND-CHANGE into `round`: it moves the key to that round without naming a block there (its
    /// prepared certificate names an earlier round's block, already covered by that round's intents). Kept as
    /// `blockHash` zero, which no block hashes to.
    public static func roundChange(height: UInt64, round: UInt32) -> SigningIntent {
        SigningIntent(height: height, round: round, blockHash: .zero)
    }

    /// False for a ROUND-CHANGE (`roundChange(height:round:)`), true for anything that signs a block.
    public var signsBlock: Bool { blockHash != .zero }

    public var description: String {
        signsBlock ? "#\(height)/\(round) \(blockHash.hex.prefix(10))…" : "#\(height)/\(round) round change"
    }

    /// Whether signing `self` after `previous` (the last intent signed with the same key) could equivocate: a
    /// height/round before the last one, or the same height and round with another block. Signing the very same
    /// block again is harmless (secp256k1 signatures here are deterministic, RFC 6979), and so is a ROUND-CHANGE
    /// into the round last signed, or a block in the round a ROUND-CHANGE last entered.
    public func conflicts(after previous: SigningIntent) -> Bool {
        if (height, round) < (previous.height, previous.round) { return true }
        guard height == previous.height, round == previous.round else { return false }
        return signsBlock && previous.signsBlock && blockHash != previous.blockHash
    }

    /// Whether `self`, permitted after `previous`, must replace it as the record: not when it adds nothing (the
    /// same intent, or a ROUND-CHANGE into a round where a block is already signed, whose record must stay so that
    /// no other block is signed there).
    public func advances(past previous: SigningIntent) -> Bool {
        guard height == previous.height, round == previous.round else { return true }
        return signsBlock && !previous.signsBlock
    }
}

/// Why a guard refused a signature. Each case says what the operator can do about it.
public enum SigningRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// This node does not hold the signing lease (it is a hot standby, or lost the lease).
    case notActive(String)
    /// The key already signed another block at this height/round, or a later one.
    case alreadySigned(previous: SigningIntent, requested: SigningIntent)
    /// The guard could not record the intent durably (etcd or the local database failed); nothing was signed.
    case recordFailed(String)

    public var description: String {
        switch self {
        case .notActive(let why): "not signing: \(why)"
        case .alreadySigned(let previous, let requested):
            "not signing \(requested): this validator key already signed \(previous) (a different block at that height/round, or a later one)"
        case .recordFailed(let why): "not signing: could not record the signature before releasing it: \(why)"
        }
    }
}

/// Asked before a validator's signature leaves the process: the one seam every engine's signing goes through when
/// several processes share a validator key (hot standby). An implementation permits a signature only while it
/// is the key's single active signer, and records each permitted intent durably first, so that no holder — this
/// one after a restart, or another after a take-over — ever signs two different blocks at one height and round.
public protocol SigningGuard: Sendable {
    /// Whether this node may sign now: a cheap check before building a block, not a permit.
    var isActive: Bool { get async }
    /// Yields the new value of `isActive` whenever it changes (and once with the current value), so a producer
    /// can sleep until it may sign again.
    func activeChanges() async -> AsyncStream<Bool>
    /// Returns once `intent` is recorded as signed by this key; throws, and the signature must be discarded, when
    /// signing it could equivocate or cannot be recorded.
    func permit(_ intent: SigningIntent) async throws(SigningRefusal)
}
