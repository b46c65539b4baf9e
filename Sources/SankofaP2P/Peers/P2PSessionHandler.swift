import NIOCore
import SankofaCrypto

/// The devp2p base protocol over an RLPx connection (devp2p rlpx.md, "p2p Capability"): Hello both ways,
/// then Ping/Pong keep-alive and Disconnect, with every other message routed to or from a sub-protocol by id.
///
/// Sits after `RLPxHandler`. Inbound: frame payloads in, `SubProtocolMessage` out. Outbound:
/// `SubProtocolMessage` in, frame payloads out. Anything a peer gets wrong ends in a Disconnect with the
/// reason from `WireError.disconnectReason`, then a close.
public final class P2PSessionHandler: ChannelDuplexHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = SubProtocolMessage
    public typealias OutboundIn = SubProtocolMessage
    public typealias OutboundOut = ByteBuffer

    /// What we say about ourselves and how often we ping.
    public struct Configuration: Sendable {
        public var nodeKey: PublicKey
        public var clientId: String
        public var listenPort: UInt64
        public var protocols: [any SubProtocol]
        /// A Ping goes out this often; if its Pong has not come back by the next one, the peer is dropped.
        public var pingInterval: TimeAmount

        public init(nodeKey: PublicKey, clientId: String = P2PHost.clientId, listenPort: UInt64 = 0,
                    protocols: [any SubProtocol], pingInterval: TimeAmount = .seconds(15)) {
            self.nodeKey = nodeKey
            self.clientId = clientId
            self.listenPort = listenPort
            self.protocols = protocols
            self.pingInterval = pingInterval
        }
    }

    private enum State {
        case awaitingHandshake
        case awaitingHello(remoteKey: PublicKey)
        case active(PeerInfo)
        case closing
    }

    private let configuration: Configuration
    private var state = State.awaitingHandshake
    private var codec = MessageCodec(compression: false)
    private var established: EventLoopPromise<PeerInfo>?
    private var pingTimer: Scheduled<Void>?
    private var awaitingPong = false
    private var pingPromises: [EventLoopPromise<Void>] = []

    /// `established` completes with the peer's details after the Hello exchange, or fails if the session ends
    /// before that.
    public init(configuration: Configuration, established: EventLoopPromise<PeerInfo>? = nil) {
        self.configuration = configuration
        self.established = established
    }

    // MARK: Inbound

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let completed = event as? RLPxHandshakeCompleted else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        guard case .awaitingHandshake = state else { return }
        state = .awaitingHello(remoteKey: completed.remoteKey)
        let hello = Hello(clientId: configuration.clientId,
                          capabilities: configuration.protocols.map(\.capability).sorted(),
                          listenPort: configuration.listenPort, nodeId: configuration.nodeKey.rawBytes)
        send(context: context, .hello(hello), flush: true)
        context.fireUserInboundEventTriggered(event)
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let payload = Array(unwrapInboundIn(data).readableBytesView)
        do {
            try receive(context: context, payload)
        } catch let error as WireError {
            disconnect(context: context, reason: error.disconnectReason, error: error)
        } catch {
            disconnect(context: context, reason: .breachOfProtocol, error: error)
        }
    }

    private func receive(context: ChannelHandlerContext, _ payload: [UInt8]) throws {
        switch state {
        case .awaitingHandshake, .closing:
            return
        case .awaitingHello(let remoteKey):
            // Hello is never compressed, and bounded before it is even decoded.
            guard payload.count <= Hello.maxSize + 9 else {
                throw WireError.helloTooLarge(size: payload.count, limit: Hello.maxSize)
            }
            let (id, data) = try codec.decode(payload)
            P2PMetrics.message(.inbound, protocol: "p2p", bytes: payload.count)
            switch try P2PMessage(id: id, data: data) {
            case .hello(let hello)?: try accept(context: context, hello: hello, remoteKey: remoteKey)
            case .disconnect(let reason)?: remoteDisconnected(context: context, reason: reason)
            default: throw WireError.unexpectedMessage(id: id, before: "before Hello")
            }
        case .active(let peer):
            let (id, data) = try codec.decode(payload)
            if id < P2PMessage.reservedIDs {
                P2PMetrics.message(.inbound, protocol: "p2p", bytes: payload.count)
                switch try P2PMessage(id: id, data: data) {
                case .hello?: throw WireError.unexpectedMessage(id: id, before: "after Hello (a second Hello)")
                case .disconnect(let reason)?: remoteDisconnected(context: context, reason: reason)
                case .ping?: send(context: context, .pong, flush: true)
                case .pong?:
                    awaitingPong = false
                    let waiting = pingPromises
                    pingPromises = []
                    for promise in waiting { promise.succeed() }
                case nil: break  // reserved base-protocol ids are ignored
                }
                return
            }
            guard let (capability, relative) = peer.shared.route(id) else { throw WireError.unknownMessageID(id) }
            P2PMetrics.message(.inbound, protocol: capability.name, bytes: payload.count)
            context.fireChannelRead(wrapInboundOut(SubProtocolMessage(protocolName: capability.name, id: relative, data: data)))
        }
    }

    private func accept(context: ChannelHandlerContext, hello: Hello, remoteKey: PublicKey) throws {
        guard hello.nodeId == remoteKey.rawBytes else {
            throw WireError.unexpectedIdentity(expected: remoteKey.rawBytes, got: hello.nodeId)
        }
        guard remoteKey != configuration.nodeKey else { throw WireError.connectedToSelf }
        let shared = SharedCapabilities(local: configuration.protocols, remote: hello.capabilities)
        if shared.isEmpty && !configuration.protocols.isEmpty { throw WireError.noSharedCapabilities }
        // Snappy from here on only if both sides said version 5 or later (we always do); older peers are
        // accepted uncompressed, as geth does.
        codec.compression = hello.protocolVersion >= Hello.currentVersion
        let info = PeerInfo(remoteKey: remoteKey, hello: hello, shared: shared)
        state = .active(info)
        schedulePing(context: context)
        established?.succeed(info)
        established = nil
    }

    private func remoteDisconnected(context: ChannelHandlerContext, reason: DisconnectReason) {
        state = .closing
        finish(P2PSessionError.closed(reason))
        context.fireUserInboundEventTriggered(P2PSessionClosed(reason: reason, byRemote: true))
        context.close(promise: nil)
    }

    public func channelInactive(context: ChannelHandlerContext) {
        state = .closing
        finish(P2PSessionError.closed(nil))
        context.fireChannelInactive()
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        finish(P2PSessionError.closed(nil))
    }

    public func errorCaught(context: ChannelHandlerContext, error: Error) {
        finish(error)
        context.fireErrorCaught(error)
    }

    // MARK: Keep-alive

    private func schedulePing(context: ChannelHandlerContext) {
        pingTimer = context.eventLoop.assumeIsolated().scheduleTask(in: configuration.pingInterval) { [self] in
            guard case .active = state else { return }
            if awaitingPong {
                disconnect(context: context, reason: .pingTimeout, error: nil)
                return
            }
            awaitingPong = true
            send(context: context, .ping, flush: true)
            schedulePing(context: context)
        }
    }

    // MARK: Outbound

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let message = unwrapOutboundIn(data)
        guard case .active(let peer) = state else {
            promise?.fail(P2PSessionError.notActive)
            return
        }
        guard let id = peer.shared.wireID(name: message.protocolName, relativeID: message.id) else {
            promise?.fail(P2PSessionError.notShared(message.protocolName))
            return
        }
        let payload = codec.encode(id: id, data: message.data)
        P2PMetrics.message(.outbound, protocol: message.protocolName, bytes: payload.count)
        context.write(wrapOutboundOut(ByteBuffer(bytes: payload)), promise: promise)
    }

    public func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let command = event as? P2PSessionCommand else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        switch command {
        case .ping:
            guard case .active = state else {
                promise?.fail(P2PSessionError.notActive)
                return
            }
            if let promise { pingPromises.append(promise) }
            send(context: context, .ping, flush: true)
        case .disconnect(let reason):
            disconnect(context: context, reason: reason, error: nil)
            promise?.succeed()
        }
    }

    private func send(context: ChannelHandlerContext, _ message: P2PMessage, flush: Bool) {
        let payload = ByteBuffer(bytes: codec.encode(id: message.id, data: message.data))
        P2PMetrics.message(.outbound, protocol: "p2p", bytes: payload.readableBytes)
        if flush { context.writeAndFlush(wrapOutboundOut(payload), promise: nil) } else { context.write(wrapOutboundOut(payload), promise: nil) }
    }

    /// Sends Disconnect (once the handshake allows frames), then closes when it is written.
    private func disconnect(context: ChannelHandlerContext, reason: DisconnectReason, error: Error?) {
        let canSend: Bool
        switch state {
        case .closing: return
        case .awaitingHandshake: canSend = false
        case .awaitingHello, .active: canSend = true
        }
        state = .closing
        pingTimer?.cancel()
        finish(error ?? P2PSessionError.closed(reason))
        if let error { context.fireErrorCaught(error) }
        context.fireUserInboundEventTriggered(P2PSessionClosed(reason: reason, byRemote: false))
        guard canSend else {
            context.close(promise: nil)
            return
        }
        let payload = ByteBuffer(bytes: codec.encode(id: 1, data: P2PMessage.disconnect(reason).data))
        context.writeAndFlush(wrapOutboundOut(payload)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    /// Fails whatever still waits on this session.
    private func finish(_ error: Error) {
        pingTimer?.cancel()
        pingTimer = nil
        established?.fail(error)
        established = nil
        let waiting = pingPromises
        pingPromises = []
        for promise in waiting { promise.fail(error) }
    }
}
