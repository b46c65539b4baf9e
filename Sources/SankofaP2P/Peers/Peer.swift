import NIOCore
import SankofaCrypto

/// A connected peer whose devp2p session is established: the handshake proved its key and Hello settled the
/// shared capabilities.
public final class Peer: Sendable, CustomStringConvertible {
    public let info: PeerInfo
    public let channel: any Channel
    /// True when the peer dialled us.
    public let isInbound: Bool

    init(info: PeerInfo, channel: any Channel, isInbound: Bool) {
        self.info = info
        self.channel = channel
        self.isInbound = isInbound
    }

    public var remoteKey: PublicKey { info.remoteKey }

    /// Sends a Ping and waits for its Pong; returns the round-trip time.
    public func ping() async throws -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        try await channel.triggerUserOutboundEvent(P2PSessionCommand.ping).get()
        return clock.now - start
    }

    /// Sends a sub-protocol message (its id relative to the protocol).
    public func send(_ message: SubProtocolMessage) async throws {
        try await channel.writeAndFlush(message).get()
    }

    /// Sends Disconnect with `reason` and closes.
    public func disconnect(_ reason: DisconnectReason = .requested) async {
        try? await channel.triggerUserOutboundEvent(P2PSessionCommand.disconnect(reason)).get()
        try? await channel.closeFuture.get()
    }

    public var description: String {
        "Peer(\(info.hello.clientId), \(remoteKey.description.prefix(18))…, "
            + "\(isInbound ? "inbound" : "outbound"), \(info.shared.entries.map(\.capability.description).joined(separator: ",")))"
    }
}

/// What a connection's pipeline tells the host about how it ended.
enum PeerOutcome: Sendable {
    /// We sent Disconnect for this reason.
    case disconnected(DisconnectReason)
    /// The peer sent Disconnect for this reason.
    case remoteDisconnected(DisconnectReason)
    /// The RLPx handshake failed (undecryptable or malformed auth/ack, refused key, timeout).
    case handshakeFailed
}

/// The last handler of a peer pipeline: hands sub-protocol messages to the host's callback, reports how the
/// connection ended, and keeps errors from reaching the end of the pipeline unobserved (the session handler
/// has already acted on them).
final class PeerMessageForwarder: ChannelInboundHandler {
    typealias InboundIn = SubProtocolMessage

    private let onMessage: @Sendable (PublicKey, SubProtocolMessage) -> Void
    /// With the peer's key once the handshake proved it.
    private let onOutcome: @Sendable (PublicKey?, PeerOutcome) -> Void
    private var remoteKey: PublicKey?

    init(onMessage: @escaping @Sendable (PublicKey, SubProtocolMessage) -> Void,
         onOutcome: @escaping @Sendable (PublicKey?, PeerOutcome) -> Void) {
        self.onMessage = onMessage
        self.onOutcome = onOutcome
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let completed = event as? RLPxHandshakeCompleted { remoteKey = completed.remoteKey }
        if let closed = event as? P2PSessionClosed {
            onOutcome(remoteKey, closed.byRemote ? .remoteDisconnected(closed.reason) : .disconnected(closed.reason))
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let remoteKey else { return }
        onMessage(remoteKey, unwrapInboundIn(data))
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if remoteKey == nil, error is RLPxError || error is RLPxConnectionError { onOutcome(nil, .handshakeFailed) }
        context.close(promise: nil)
    }
}
