import SankofaCrypto

/// A message of a negotiated sub-protocol, with its id relative to that protocol (eth's Status is 0 whatever
/// wire id it got).
public struct SubProtocolMessage: Sendable, Equatable {
    /// The capability name, e.g. `eth`.
    public var protocolName: String
    public var id: UInt64
    public var data: [UInt8]

    public init(protocolName: String, id: UInt64, data: [UInt8]) {
        self.protocolName = protocolName
        self.id = id
        self.data = data
    }
}

/// What the Hello exchange settled: who the peer is and what we share.
public struct PeerInfo: Sendable, Equatable {
    public let remoteKey: PublicKey
    public let hello: Hello
    public let shared: SharedCapabilities
}

/// A peer session that began or ended, for the sub-protocols that keep per-peer state (eth's Status handshake).
public enum PeerChange: Sendable {
    /// The session passed Hello and admission; its messages follow.
    case connected(Peer)
    /// The session is over; nothing more arrives from it.
    case disconnected(Peer)
}

/// Fired inbound when a session ends with a Disconnect, sent by us or by the peer.
public struct P2PSessionClosed: Sendable, Equatable {
    public let reason: DisconnectReason
    /// True when the peer sent the Disconnect.
    public let byRemote: Bool
}

/// Commands for a session, sent with `channel.triggerUserOutboundEvent`. The promise of `.ping` completes
/// when the matching Pong arrives.
public enum P2PSessionCommand: Sendable {
    case ping
    case disconnect(DisconnectReason)
}

/// Why a session could not be used.
public enum P2PSessionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The connection ended, with the Disconnect reason if there was one.
    case closed(DisconnectReason?)
    /// A message for a capability the peer and we do not share.
    case notShared(String)
    /// A message sent before the Hello exchange finished.
    case notActive

    public var description: String {
        switch self {
        case .closed(let reason?): "peer session closed: \(reason)"
        case .closed(nil): "peer connection closed before the session ended cleanly"
        case .notShared(let name): "capability \(name) is not shared with this peer"
        case .notActive: "the devp2p session is not established yet"
        }
    }
}
