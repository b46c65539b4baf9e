/// Why a peer is being disconnected: the reason codes of devp2p rlpx.md, "Disconnect (0x01)".
public enum DisconnectReason: Equatable, Hashable, Sendable, CustomStringConvertible {
    case requested
    case tcpError
    case breachOfProtocol
    case uselessPeer
    case tooManyPeers
    case alreadyConnected
    case incompatibleVersion
    case invalidIdentity
    case clientQuitting
    case unexpectedIdentity
    case connectedToSelf
    case pingTimeout
    case subprotocolError
    /// A code the spec does not define; kept so it can be logged.
    case other(UInt8)

    /// The wire code.
    public var code: UInt8 {
        switch self {
        case .requested: 0x00
        case .tcpError: 0x01
        case .breachOfProtocol: 0x02
        case .uselessPeer: 0x03
        case .tooManyPeers: 0x04
        case .alreadyConnected: 0x05
        case .incompatibleVersion: 0x06
        case .invalidIdentity: 0x07
        case .clientQuitting: 0x08
        case .unexpectedIdentity: 0x09
        case .connectedToSelf: 0x0a
        case .pingTimeout: 0x0b
        case .subprotocolError: 0x10
        case .other(let code): code
        }
    }

    /// The reason for a wire code; unknown codes become `.other`.
    public init(code: UInt8) {
        switch code {
        case 0x00: self = .requested
        case 0x01: self = .tcpError
        case 0x02: self = .breachOfProtocol
        case 0x03: self = .uselessPeer
        case 0x04: self = .tooManyPeers
        case 0x05: self = .alreadyConnected
        case 0x06: self = .incompatibleVersion
        case 0x07: self = .invalidIdentity
        case 0x08: self = .clientQuitting
        case 0x09: self = .unexpectedIdentity
        case 0x0a: self = .connectedToSelf
        case 0x0b: self = .pingTimeout
        case 0x10: self = .subprotocolError
        default: self = .other(code)
        }
    }

    /// The spec's wording.
    public var description: String {
        switch self {
        case .requested: "disconnect requested"
        case .tcpError: "TCP sub-system error"
        case .breachOfProtocol: "breach of protocol, e.g. a malformed message, bad RLP"
        case .uselessPeer: "useless peer"
        case .tooManyPeers: "too many peers"
        case .alreadyConnected: "already connected"
        case .incompatibleVersion: "incompatible P2P protocol version"
        case .invalidIdentity: "null node identity received"
        case .clientQuitting: "client quitting"
        case .unexpectedIdentity: "unexpected identity in handshake"
        case .connectedToSelf: "identity is the same as this node (connected to itself)"
        case .pingTimeout: "ping timeout"
        case .subprotocolError: "some other reason specific to a subprotocol"
        case .other(let code): "unknown reason 0x\(String(code, radix: 16))"
        }
    }
}
