import SankofaConsensus
import SankofaPrimitives

/// Why a light-client query or header sync step failed. `isLie` separates a server that answered falsely (it is
/// banned) from one that merely could not answer (another is asked).
public enum LightError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No connected full node could answer `what`; `reason` is the last failure.
    case noServerAnswered(String, reason: String)
    /// A header that fails consensus verification (bad seal, wrong signer, not a child of its parent).
    case invalidHeader(number: UInt64, String)
    /// Headers that do not link parent to child.
    case headersDoNotChain(number: UInt64)
    /// A body whose transactions or ommers do not match the verified header.
    case bodyMismatch(number: UInt64)
    /// Receipts whose trie root is not the verified header's `receiptsRoot`.
    case receiptsMismatch(number: UInt64)
    /// A state proof that does not lead from the verified `stateRoot` to the requested account or slot.
    case invalidProof(String)
    /// A transaction location that the block's verified body contradicts.
    case wrongLocation(Hash32)
    /// The response does not answer the request (another message, more items than asked).
    case unexpectedResponse(String)
    /// The server does not keep what was asked (pruned state, unknown block): ask another.
    case notServed(String)
    /// A block the light node has no verified header for.
    case unknownBlock(String)
    /// A call needed more proven slots than one query may fetch.
    case callTooLarge(slots: Int)
    /// The configured checkpoint header could not be fetched or does not hash to the configured value.
    case checkpoint(String)

    public var description: String {
        switch self {
        case .noServerAnswered(let what, let reason): "no full node answered \(what): \(reason)"
        case .invalidHeader(let number, let why): "header #\(number) fails verification: \(why)"
        case .headersDoNotChain(let number): "headers do not chain at #\(number)"
        case .bodyMismatch(let number): "block body does not match verified header #\(number)"
        case .receiptsMismatch(let number): "receipts do not match the receipts root of verified header #\(number)"
        case .invalidProof(let why): "state proof does not verify: \(why)"
        case .wrongLocation(let hash): "transaction \(hash) is not where the server says"
        case .unexpectedResponse(let why): "unexpected response: \(why)"
        case .notServed(let what): "the server does not keep \(what)"
        case .unknownBlock(let what): "no verified header for block \(what) on this light node"
        case .callTooLarge(let slots): "the call reads more than \(slots) storage slots, too many to prove on a light node"
        case .checkpoint(let why): "--light-checkpoint: \(why)"
        }
    }

    /// Whether the server answered falsely: its answer contradicts a verified header.
    public var isLie: Bool {
        switch self {
        case .invalidHeader, .headersDoNotChain, .bodyMismatch, .receiptsMismatch, .invalidProof, .wrongLocation,
             .unexpectedResponse:
            true
        default: false
        }
    }
}
