import Logging
import NIOCore
import NIOPosix
import SankofaCrypto
import SankofaPrimitives

/// A devp2p node endpoint: listens for RLPx connections, dials enode URLs, and keeps the established peers.
///
///     let host = P2PHost(configuration: .init(nodeKey: key, protocols: [eth68]))
///     let me = try await host.start()          // binds; port 0 lets the OS choose
///     let peer = try await host.connect(to: try Enode("enode://…@10.0.0.2:30303"))
///     let rtt = try await peer.ping()
public final class P2PHost: Sendable {
    public struct Configuration: Sendable {
        public var nodeKey: PrivateKey
        public var clientId: String
        public var protocols: [any SubProtocol]
        public var host: String
        /// 0 asks the OS for a free port; `start()` reports the one it got.
        public var port: Int
        public var handshakeTimeout: TimeAmount
        public var pingInterval: TimeAmount
        /// When set, only these node keys may connect to us or be dialled (DESIGN.md's `nodes-allowlist`);
        /// others are refused during the handshake, before any Hello.
        public var allowlist: Set<PublicKey>?
        /// A run-time node permission check (Besu's `--permissions-nodes-config-file`, which `perm_` methods
        /// change), asked by node id in the handshake of every inbound and outbound connection.
        public var permits: (@Sendable (PublicKey) -> Bool)?
        /// Slots, bans and dialling; when set, every session must be admitted by it after Hello.
        public var manager: PeerManager?
        /// Inbound connections still in their handshake at once; more are closed on arrival (each costs an ECIES
        /// decryption, so strangers must not be able to queue them without limit).
        public var maxPendingInbound = 64

        public init(nodeKey: PrivateKey, clientId: String = P2PHost.clientId,
                    protocols: [any SubProtocol], host: String = "127.0.0.1", port: Int = 0,
                    handshakeTimeout: TimeAmount = .seconds(5), pingInterval: TimeAmount = .seconds(15),
                    allowlist: Set<PublicKey>? = nil, permits: (@Sendable (PublicKey) -> Bool)? = nil,
                    manager: PeerManager? = nil) {
            self.nodeKey = nodeKey
            self.clientId = clientId
            self.protocols = protocols
            self.host = host
            self.port = port
            self.handshakeTimeout = handshakeTimeout
            self.pingInterval = pingInterval
            self.allowlist = allowlist
            self.permits = permits
            self.manager = manager
        }

        /// Whether `key` may be a peer: on the static allow-list (if any) and permitted by `permits` (if set).
        public func isPermitted(_ key: PublicKey) -> Bool {
            (allowlist?.contains(key) ?? true) && (permits?(key) ?? true)
        }
    }

    /// What this node calls itself in Hello and `web3_clientVersion`: the one place it is spelled.
    public static let clientId = "sankofa/v0.1.0/linux-x86_64/swift6"

    private struct State {
        var server: (any Channel)?
        var boundPort: Int?
        var peers: [PublicKey: Peer] = [:]
        var misbehaviour = Misbehaviour()
        var pendingInbound = 0
    }

    /// Connections this host ended, by cause (DESIGN.md: misbehaving peers are dropped and counted).
    public struct Misbehaviour: Sendable, Equatable {
        /// Sessions we closed with Disconnect, by the reason we gave.
        public var disconnects: [DisconnectReason: Int] = [:]
        /// Connections dropped during the RLPx handshake: undecryptable or malformed auth/ack, a refused key,
        /// or the time limit.
        public var failedHandshakes = 0
    }

    public let configuration: Configuration
    private let group: any EventLoopGroup
    private let onMessage: @Sendable (Peer, SubProtocolMessage) -> Void
    private let onPeer: @Sendable (PeerChange) -> Void
    private let state = Locked(State())
    private let logger: Logger

    /// A host on `group`; `onMessage` receives every sub-protocol message from every peer, `onPeer` each session
    /// as it is established and as it ends. Both run on the peer's event loop, in order with its messages (a
    /// peer's `.connected` comes before its first message), and must not wait.
    public init(configuration: Configuration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                logger: Logger = Logger(label: "sankofa.p2p"),
                onMessage: @escaping @Sendable (Peer, SubProtocolMessage) -> Void = { _, _ in },
                onPeer: @escaping @Sendable (PeerChange) -> Void = { _ in }) {
        self.configuration = configuration
        self.group = group
        self.logger = logger
        self.onMessage = onMessage
        self.onPeer = onPeer
        configuration.manager?.setDialer(self)
    }

    /// What this host has dropped so far.
    public var misbehaviour: Misbehaviour { state.withLock { $0.misbehaviour } }

    /// The peers with an established session.
    public var peers: [Peer] { state.withLock { Array($0.peers.values) } }

    /// This node's enode URL once listening.
    public var enode: Enode? {
        guard let port = state.withLock({ $0.boundPort }) else { return nil }
        return Enode(publicKey: configuration.nodeKey.publicKey, host: configuration.host, tcpPort: port)
    }

    /// Starts listening and returns this node's enode URL (with the port the OS gave when 0 was asked for).
    @discardableResult
    public func start() async throws -> Enode {
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [self] channel in
                let configuration = self.configuration
                let admitted = state.withLock { state -> Bool in
                    guard state.pendingInbound < configuration.maxPendingInbound else { return false }
                    state.pendingInbound += 1
                    return true
                }
                guard admitted else {
                    logger.debug("too many inbound handshakes in progress: connection closed")
                    return channel.close()
                }
                // A banned key is refused in the handshake, before it costs a Hello.
                let accept: @Sendable (PublicKey) -> Bool = { key in
                    configuration.isPermitted(key) && !(configuration.manager?.isBanned(key) ?? false)
                }
                return initialise(channel, role: .responder(accept: accept), isInbound: true)
            }
            .bind(host: configuration.host, port: configuration.port).get()
        let port = server.localAddress?.port ?? configuration.port
        state.withLock {
            $0.server = server
            $0.boundPort = port
        }
        let enode = Enode(publicKey: configuration.nodeKey.publicKey, host: configuration.host, tcpPort: port)
        logger.info("listening for RLPx connections", metadata: ["enode": "\(enode)"])
        return enode
    }

    /// Dials `enode`, runs the handshake (which fails unless the remote holds the enode's key) and the Hello
    /// exchange, and returns the established peer.
    public func connect(to enode: Enode) async throws -> Peer {
        guard configuration.isPermitted(enode.publicKey) else {
            throw RLPxConnectionError.remoteKeyRefused(enode.publicKey)
        }
        let ready = group.any().makePromise(of: Peer.self)
        do {
            _ = try await ClientBootstrap(group: group)
                .connectTimeout(configuration.handshakeTimeout)
                .channelInitializer { [self] channel in
                    initialise(channel, role: .initiator(remoteKey: enode.publicKey), isInbound: false, ready: ready)
                }
                .connect(host: enode.host, port: enode.tcpPort).get()
        } catch {
            ready.fail(error)
        }
        return try await ready.futureResult.get()
    }

    /// Sends Disconnect to the peer with `key`, if connected; true if it was.
    @discardableResult
    public func disconnect(_ key: PublicKey, reason: DisconnectReason = .requested) async -> Bool {
        guard let peer = state.withLock({ $0.peers[key] }) else { return false }
        await peer.disconnect(reason)
        return true
    }

    /// Disconnects every peer no longer permitted (a node removed from the allow-list goes at once).
    public func disconnectUnpermitted() async {
        for peer in peers where !configuration.isPermitted(peer.remoteKey) { await peer.disconnect(.requested) }
    }

    /// Closes the listener and every peer.
    public func stop() async {
        let (server, peers) = state.withLock { state in
            let result = (state.server, Array(state.peers.values))
            state.server = nil
            state.peers = [:]
            return result
        }
        for peer in peers { await peer.disconnect(.clientQuitting) }
        try? await server?.close()
    }

    /// When two nodes dial each other at once, each ends up with two sessions to the other. Both keep the one
    /// dialled by the node with the lower node id, so they drop the same connection instead of one each (which
    /// would leave neither). Decides for a new session against an existing one in the other direction.
    static func keepsNewConnection(inbound: Bool, local: PublicKey, remote: PublicKey) -> Bool {
        let (initiator, other) = inbound ? (remote, local) : (local, remote)
        return initiator.rawBytes.lexicographicallyPrecedes(other.rawBytes)
    }

    private func recordPeerCounts() {
        let (inbound, total) = state.withLock { state in (state.peers.values.filter(\.isInbound).count, state.peers.count) }
        P2PMetrics.peers(inbound: inbound, outbound: total - inbound)
    }

    private func initialise(_ channel: any Channel, role: RLPxHandler.Role, isInbound: Bool,
                            ready: EventLoopPromise<Peer>? = nil) -> EventLoopFuture<Void> {
        let established = channel.eventLoop.makePromise(of: PeerInfo.self)
        let logger = self.logger
        established.futureResult.whenComplete { [self] result in
            if isInbound { state.withLock { $0.pendingInbound -= 1 } }
            switch result {
            case .success(let info):
                logger.debug("peer session established", metadata: [
                    "peer": "\(info.remoteKey)", "client": "\(info.hello.clientId)", "inbound": "\(isInbound)",
                    "shared": "\(info.shared.entries.map(\.capability.description))",
                ])
                let peer = Peer(info: info, channel: channel, isInbound: isInbound)
                var replaced: Peer?
                let refusal = state.withLock { state -> DisconnectReason? in
                    // Permissions may have changed while this connection was in its handshake.
                    guard configuration.isPermitted(info.remoteKey) else { return .requested }
                    if let existing = state.peers[info.remoteKey] {
                        guard existing.isInbound != isInbound,
                              Self.keepsNewConnection(inbound: isInbound, local: configuration.nodeKey.publicKey,
                                                      remote: info.remoteKey) else { return .alreadyConnected }
                        replaced = existing
                        configuration.manager?.replaceSession(info.remoteKey, inbound: isInbound)
                    } else if let reason = configuration.manager?.admit(info.remoteKey, inbound: isInbound) {
                        return reason
                    }
                    state.peers[info.remoteKey] = peer
                    return nil
                }
                if let refusal {
                    channel.triggerUserOutboundEvent(P2PSessionCommand.disconnect(refusal), promise: nil)
                    ready?.fail(P2PSessionError.closed(refusal))
                    return
                }
                replaced?.channel.triggerUserOutboundEvent(P2PSessionCommand.disconnect(.alreadyConnected), promise: nil)
                recordPeerCounts()
                onPeer(.connected(peer))
                channel.closeFuture.whenComplete { [self] _ in
                    let ended = state.withLock { state -> Bool in
                        guard state.peers[info.remoteKey] === peer else { return false }
                        state.peers[info.remoteKey] = nil
                        return true
                    }
                    if ended {
                        configuration.manager?.sessionEnded(info.remoteKey)
                        recordPeerCounts()
                        onPeer(.disconnected(peer))
                    }
                }
                ready?.succeed(peer)
            case .failure(let error):
                logger.debug("peer connection ended before its session was established", metadata: [
                    "remote": "\(channel.remoteAddress.map { "\($0)" } ?? "?")", "error": "\(error)",
                ])
                ready?.fail(error)
            }
        }
        let session = P2PSessionHandler.Configuration(
            nodeKey: configuration.nodeKey.publicKey, clientId: configuration.clientId,
            listenPort: UInt64(state.withLock { $0.boundPort } ?? 0), protocols: configuration.protocols,
            pingInterval: configuration.pingInterval)
        let onMessage = self.onMessage
        let peers = state
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandlers([
                RLPxHandler(staticKey: configuration.nodeKey, role: role, handshakeTimeout: configuration.handshakeTimeout),
                P2PSessionHandler(configuration: session, established: established),
                PeerMessageForwarder(onMessage: { key, message in
                    // Only from the connection that is the peer's session. After simultaneous dials the one that
                    // lost may still deliver what the peer sent on it before it closes (its eth Status): taken as
                    // said on the session that won, a second Status got a good peer dropped and banned.
                    guard let peer = peers.withLock({ $0.peers[key] }), peer.channel === channel else { return }
                    onMessage(peer, message)
                }, onOutcome: { [configuration] key, outcome in
                    peers.withLock { state in
                        switch outcome {
                        case .disconnected(let reason): state.misbehaviour.disconnects[reason, default: 0] += 1
                        case .remoteDisconnected: break
                        case .handshakeFailed: state.misbehaviour.failedHandshakes += 1
                        }
                    }
                    switch outcome {
                    case .disconnected(let reason):
                        P2PMetrics.disconnect(reason, byRemote: false)
                        let points = PeerManager.penalty(for: reason)
                        if let key, points > 0 { configuration.manager?.penalise(key, points: points) }
                    case .remoteDisconnected(let reason): P2PMetrics.disconnect(reason, byRemote: true)
                    case .handshakeFailed: P2PMetrics.handshakeFailed()
                    }
                }),
            ])
        }
    }
}
