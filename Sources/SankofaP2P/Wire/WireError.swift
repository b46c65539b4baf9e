import SankofaPrimitives

/// Why a devp2p base-protocol message (devp2p rlpx.md, "p2p Capability") was refused. Each case maps to the
/// Disconnect reason we send before dropping the peer (`disconnectReason`).
public enum WireError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A message body that is not the RLP it must be.
    case malformed(message: String, RLPError?)
    /// A Hello that breaks a rule (field missing, nodeId of the wrong length, …).
    case invalidHello(String)
    /// A Hello larger than the 2 KiB we accept.
    case helloTooLarge(size: Int, limit: Int)
    /// The Hello nodeId is not the key the RLPx handshake proved.
    case unexpectedIdentity(expected: [UInt8], got: [UInt8])
    /// A message arrived before Hello, or a second Hello.
    case unexpectedMessage(id: UInt64, before: String)
    /// A message id that no shared capability covers.
    case unknownMessageID(UInt64)
    /// A Snappy body that would not decompress, or decompresses beyond the 16 MiB limit.
    case compression(SnappyError)
    /// No capability in common.
    case noSharedCapabilities
    /// The peer is this node (we dialled our own address).
    case connectedToSelf

    public var description: String {
        switch self {
        case .malformed(let message, let rlp): "malformed devp2p \(message)" + (rlp.map { ": \($0)" } ?? "")
        case .invalidHello(let detail): "invalid Hello: \(detail)"
        case .helloTooLarge(let size, let limit): "Hello of \(size) bytes exceeds \(limit) bytes"
        case .unexpectedIdentity(let expected, let got):
            "Hello nodeId \(Hex.encode(got)) is not the handshake key \(Hex.encode(expected))"
        case .unexpectedMessage(let id, let before): "message 0x\(String(id, radix: 16)) arrived \(before)"
        case .unknownMessageID(let id): "message id 0x\(String(id, radix: 16)) belongs to no shared capability"
        case .compression(let error): "message decompression failed: \(error)"
        case .noSharedCapabilities: "no capability in common with the peer"
        case .connectedToSelf: "connected to this node itself"
        }
    }

    /// The reason to send in Disconnect before dropping the peer.
    public var disconnectReason: DisconnectReason {
        switch self {
        case .malformed, .invalidHello, .helloTooLarge, .unexpectedMessage, .unknownMessageID, .compression:
            .breachOfProtocol
        case .unexpectedIdentity: .unexpectedIdentity
        case .noSharedCapabilities: .uselessPeer
        case .connectedToSelf: .connectedToSelf
        }
    }
}
