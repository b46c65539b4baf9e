import SankofaChain
import SankofaPrimitives

/// Why an eth/68 message or Status handshake was refused. Each case maps to the Disconnect reason to send
/// (`disconnectReason`).
///
/// Disconnect reasons, as go-ethereum: a Status for another network, another genesis or an incompatible fork id
/// (EIP-2124) is `subprotocolError` (0x10) — geth returns these from its eth handshake and devp2p turns any
/// protocol error into `DiscSubprotocolError`. Malformed or over-limit messages are a `breachOfProtocol` (0x02),
/// as Sankofa's base protocol (`WireError`) already does; geth would send 0x10 for those too.
public enum EthError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The body is not the RLP shape the message requires.
    case malformed(message: String, RLPError)
    /// A transaction, block or receipt inside the message does not decode.
    case invalidTransaction(message: String, TransactionError)
    /// A field is well-formed RLP but breaks the message's rules (announcement lists of different lengths, …).
    case invalidField(message: String, String)
    /// A list holds more items than `EthLimits` allows.
    case tooManyItems(message: String, limit: Int)
    /// The body is larger than `EthLimits.maxMessageSize`.
    case messageTooLarge(size: Int, limit: Int)
    /// A relative id that eth/68 does not define.
    case unknownMessageCode(UInt64)
    /// Status of a different eth version.
    case protocolVersionMismatch(got: UInt64, expected: UInt64)
    /// Status of a different network id.
    case networkMismatch(got: UInt64, expected: UInt64)
    /// Status of a different genesis block.
    case genesisMismatch(got: Hash32, expected: Hash32)
    /// The peer's fork id fails EIP-2124 validation.
    case incompatibleForkID(ForkIDError)

    public var description: String {
        switch self {
        case .malformed(let message, let error): "malformed eth \(message): \(error)"
        case .invalidTransaction(let message, let error): "invalid content in eth \(message): \(error)"
        case .invalidField(let message, let why): "invalid eth \(message): \(why)"
        case .tooManyItems(let message, let limit): "eth \(message) holds more than \(limit) items"
        case .messageTooLarge(let size, let limit): "eth message of \(size) bytes exceeds \(limit) bytes"
        case .unknownMessageCode(let code): "eth/68 has no message 0x\(String(code, radix: 16))"
        case .protocolVersionMismatch(let got, let expected): "peer speaks eth/\(got), we speak eth/\(expected)"
        case .networkMismatch(let got, let expected): "peer is on network \(got), we are on \(expected)"
        case .genesisMismatch(let got, let expected): "peer genesis \(got) is not ours (\(expected))"
        case .incompatibleForkID(let error): "incompatible fork id: \(error)"
        }
    }

    /// The reason to send in Disconnect before dropping the peer.
    public var disconnectReason: DisconnectReason {
        switch self {
        case .malformed, .invalidTransaction, .invalidField, .tooManyItems, .messageTooLarge, .unknownMessageCode:
            .breachOfProtocol
        case .protocolVersionMismatch, .networkMismatch, .genesisMismatch, .incompatibleForkID:
            .subprotocolError
        }
    }
}
