import NIOCore
import NIOPosix
import SankofaCrypto
import SankofaPrimitives
import Testing
@testable import SankofaP2P

/// `P2PHost` driven by a `PeerManager` over real TCP on 127.0.0.1: admission after Hello, dialling by host name,
/// and run-time permission changes.
@Suite("P2PHost with a peer manager", .timeLimit(.minutes(1)))
struct P2PHostPeerManagerTests {
    func host(_ key: PrivateKey, manager: PeerManager? = nil, permits: (@Sendable (PublicKey) -> Bool)? = nil) -> P2PHost {
        P2PHost(configuration: .init(nodeKey: key, protocols: [], permits: permits, manager: manager))
    }

    /// A host name is kept in the enode and resolved when dialled; the session counts in the manager's book.
    @Test func managerDialsAHostNameAndTracksTheSession() async throws {
        let manager = PeerManager()
        let a = host(try PrivateKey.generate(), manager: manager)
        let b = host(try PrivateKey.generate())
        let bEnode = try await b.start()
        manager.add(Enode(publicKey: bEnode.publicKey, host: "localhost", tcpPort: bEnode.tcpPort), kind: .static)
        await manager.tick()
        #expect(a.peers.map(\.remoteKey) == [bEnode.publicKey])
        #expect(manager.snapshot.sessions[bEnode.publicKey] == false)
        // B hangs up (once it has registered A too): the manager hears of it.
        #expect(try await P2PHostTests.eventually { b.peers.count == 1 })
        await b.stop()
        #expect(try await P2PHostTests.eventually { manager.snapshot.sessions.isEmpty })
        await a.stop()
    }

    /// With one slot, a second peer that dials in is told "too many peers" after Hello.
    @Test func fullHostRefusesAfterHello() async throws {
        var configuration = PeerManagerConfiguration()
        configuration.maxPeers = 1
        let manager = PeerManager(configuration: configuration)
        let a = host(try PrivateKey.generate(), manager: manager)
        let aEnode = try await a.start()
        let b = host(try PrivateKey.generate())
        let c = host(try PrivateKey.generate())
        _ = try await b.connect(to: aEnode)
        #expect(try await P2PHostTests.eventually { a.peers.count == 1 })
        // C's own Hello exchange may finish before A's verdict arrives; either way C ends up disconnected.
        _ = try? await c.connect(to: aEnode)
        #expect(try await P2PHostTests.eventually { a.misbehaviour.disconnects[.tooManyPeers] == 1 && c.peers.isEmpty })
        #expect(a.peers.map(\.remoteKey) == [b.configuration.nodeKey.publicKey])
        await a.stop()
        await b.stop()
        await c.stop()
    }

    /// The permission check is asked at every handshake, so a change applies to the next connection, and
    /// `disconnectUnpermitted` drops a peer at once.
    @Test func permissionChangesApplyAtOnce() async throws {
        let bKey = try PrivateKey.generate()
        let allowed = Locked<Set<PublicKey>>([])
        let a = host(try PrivateKey.generate(), permits: { key in allowed.withLock { $0.contains(key) } })
        let aEnode = try await a.start()
        let b = host(bKey)
        await #expect(throws: (any Error).self) { _ = try await b.connect(to: aEnode) }
        allowed.withLock { _ = $0.insert(bKey.publicKey) }
        _ = try await b.connect(to: aEnode)
        #expect(try await P2PHostTests.eventually { a.peers.count == 1 })
        allowed.withLock { $0 = [] }
        await a.disconnectUnpermitted()
        #expect(try await P2PHostTests.eventually { a.peers.isEmpty && b.peers.isEmpty })
        await a.stop()
        await b.stop()
    }
}

/// A client that completes the RLPx handshake and then sends a frame that is not a Hello.
final class GarbageAfterHandshake: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is RLPxHandshakeCompleted {
            context.writeAndFlush(NIOAny(ByteBuffer(bytes: [0x80, 0xde, 0xad, 0xbe, 0xef])), promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }
}

@Suite("P2PHost bans misbehaving peers", .timeLimit(.minutes(1)))
struct P2PHostBanTests {
    /// Dials `enode` with `key`, sends garbage after the handshake, and waits for the connection to close.
    func misbehave(_ key: PrivateKey, at enode: Enode) async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        RLPxHandler(staticKey: key, role: .initiator(remoteKey: enode.publicKey)), GarbageAfterHandshake(),
                    ])
                }
            }
            .connect(host: enode.host, port: enode.tcpPort).get()
        try await channel.closeFuture.get()
    }

    /// Invalid data costs points; enough of them ban the key, which is then refused in the handshake.
    @Test func invalidDataAddsUpToABan() async throws {
        let manager = PeerManager()
        let a = P2PHost(configuration: .init(nodeKey: try PrivateKey.generate(), protocols: [], manager: manager))
        let aEnode = try await a.start()
        let evil = try PrivateKey.generate()
        try await misbehave(evil, at: aEnode)
        #expect(try await P2PHostTests.eventually { manager.snapshot.score(evil.publicKey) == 50 })
        #expect(!manager.isBanned(evil.publicKey))
        try await misbehave(evil, at: aEnode)
        #expect(try await P2PHostTests.eventually { manager.isBanned(evil.publicKey) })
        #expect(a.misbehaviour.disconnects[.breachOfProtocol] == 2)
        // Even well behaved now, the key is refused during the handshake.
        let reformed = P2PHost(configuration: .init(nodeKey: evil, protocols: []))
        await #expect(throws: (any Error).self) { _ = try await reformed.connect(to: aEnode) }
        #expect(a.peers.isEmpty)
        await a.stop()
    }
}
