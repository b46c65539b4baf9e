import SankofaBlockchain
import SankofaPrimitives

/// Why a sync step or a request to a peer failed. Each names the peer's fault where there is one, so the log says
/// who sent what.
public enum SyncError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The peer disconnected while we waited.
    case peerGone
    /// No response within the request timeout.
    case timeout
    /// A response of another message type than the request's.
    case unexpectedResponse(expected: String)
    /// A response longer than asked, or with items we did not ask for.
    case unrequestedItems(String)
    /// Headers that do not link parent to child from our last verified header.
    case headersDoNotChain(number: UInt64)
    /// A body whose transactions or ommers do not match its header's roots.
    case bodyDoesNotMatchHeader(number: UInt64)
    /// The peer had nothing for a range it claimed to have.
    case emptyResponse(String)
    /// A transaction from the peer with an invalid signature or encoding.
    case invalidTransaction(String)
    /// A block from the peer failed verification or execution.
    case invalidBlock(number: UInt64, ImportError)

    public var description: String {
        switch self {
        case .peerGone: "the peer disconnected"
        case .timeout: "the peer did not answer in time"
        case .unexpectedResponse(let expected): "the peer answered with another message than \(expected)"
        case .unrequestedItems(let what): "the peer sent \(what) that were not asked for"
        case .headersDoNotChain(let number): "headers from the peer do not chain at #\(number)"
        case .bodyDoesNotMatchHeader(let number): "block body from the peer does not match header #\(number)"
        case .emptyResponse(let what): "the peer returned no \(what) although it announced them"
        case .invalidTransaction(let why): "the peer sent an invalid transaction: \(why)"
        case .invalidBlock(let number, let error): "block #\(number) from the peer is invalid: \(error)"
        }
    }

    /// Whether the peer is to blame (and dropped), rather than the network.
    var blamesPeer: Bool {
        switch self {
        case .peerGone, .timeout, .emptyResponse: false
        case .invalidBlock(_, let error):
            switch error {
            case .parentStateUnavailable, .unknownParent, .conflictsWithFinalBlock, .headMoved: false
            default: true
            }
        default: true
        }
    }
}
