import NIOCore
import NIOPosix
import SankofaCrypto
import SankofaPrimitives
import Testing
@testable import SankofaP2P

/// Two hosts in one process over real TCP on 127.0.0.1, ports chosen by the OS.
@Suite("P2PHost over TCP", .timeLimit(.minutes(1)))
struct P2PHostTests {
    static let eth68 = SubProtocolDescriptor(name: "eth", version: 68, messageCount: 17)
    static let eth67 = SubProtocolDescriptor(name: "eth", version: 67, messageCount: 17)
    static let istanbul = SubProtocolDescriptor(name: "istanbul", version: 100, messageCount: 4)

    /// Polls `condition` for up to two seconds.
    static func eventually(_ condition: () -> Bool) async throws -> Bool {
        for _ in 0..<200 {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    @Test func handshakeHelloCapabilitiesPingAndMessages() async throws {
        let received = Locked<[SubProtocolMessage]>([])
        let b = P2PHost(configuration: .init(nodeKey: try PrivateKey.generate(), clientId: "node-b",
                                             protocols: [Self.eth67, Self.eth68, Self.istanbul])) { _, message in
            received.withLock { $0.append(message) }
        }
        let a = P2PHost(configuration: .init(nodeKey: try PrivateKey.generate(), clientId: "node-a",
                                             protocols: [Self.eth68, Self.istanbul]))
        let bEnode = try await b.start()
        try await a.start()
        #expect(bEnode.tcpPort != 0)
        #expect(b.enode == bEnode)

        let peer = try await a.connect(to: bEnode)
        #expect(peer.remoteKey == b.configuration.nodeKey.publicKey)
        #expect(peer.info.hello.clientId == "node-b")
        #expect(peer.info.hello.capabilities.count == 3)
        #expect(peer.info.shared.entries.map(\.capability) == [Self.eth68.capability, Self.istanbul.capability])
        #expect(peer.info.shared.entries.map(\.offset) == [0x10, 0x21])
        #expect(!peer.isInbound)

        // B sees A too, with the same negotiation.
        #expect(try await Self.eventually { b.peers.count == 1 })
        let inbound = try #require(b.peers.first)
        #expect(inbound.isInbound)
        #expect(inbound.remoteKey == a.configuration.nodeKey.publicKey)
        #expect(inbound.info.hello.clientId == "node-a")
        #expect(inbound.info.shared == peer.info.shared)

        // Ping/Pong both ways.
        _ = try await peer.ping()
        _ = try await inbound.ping()

        // A sub-protocol message travels compressed and arrives under its relative id.
        let big = [UInt8](repeating: 0x42, count: 100_000)
        try await peer.send(SubProtocolMessage(protocolName: "istanbul", id: 2, data: big))
        try await peer.send(SubProtocolMessage(protocolName: "eth", id: 0, data: [0xc0]))
        #expect(try await Self.eventually { received.withLock { $0.count } == 2 })
        #expect(received.withLock { $0 } == [SubProtocolMessage(protocolName: "istanbul", id: 2, data: big),
                                             SubProtocolMessage(protocolName: "eth", id: 0, data: [0xc0])])

        // Dialling an already connected node is refused, and counted.
        await #expect(throws: (any Error).self) { _ = try await a.connect(to: bEnode) }
        #expect(try await Self.eventually { a.misbehaviour.disconnects[.alreadyConnected] == 1 })
        #expect(a.misbehaviour.failedHandshakes == 0)

        // A clean disconnect removes the peer on both sides.
        await peer.disconnect(.requested)
        #expect(try await Self.eventually { a.peers.isEmpty && b.peers.isEmpty })
        await a.stop()
        await b.stop()
    }

    @Test func wrongExpectedNodeIdIsRefused() async throws {
        let b = P2PHost(configuration: .init(nodeKey: try PrivateKey.generate(), protocols: [Self.eth68]))
        let a = P2PHost(configuration: .init(nodeKey: try PrivateKey.generate(), protocols: [Self.eth68]))
        let real = try await b.start()
        // Same address, someone else's key: B cannot open the auth, so the handshake never completes.
        let impostor = Enode(publicKey: try PrivateKey.generate().publicKey, host: real.host, tcpPort: real.tcpPort)
        await #expect(throws: (any Error).self) { _ = try await a.connect(to: impostor) }
        #expect(a.peers.isEmpty)
        #expect(b.peers.isEmpty)
        #expect(try await Self.eventually { b.misbehaviour.failedHandshakes == 1 })
        await b.stop()
    }

    @Test func allowListRefusesStrangers() async throws {
        let friend = try PrivateKey.generate()
        let b = P2PHost(configuration: .init(nodeKey: try PrivateKey.generate(), protocols: [Self.eth68],
                                             allowlist: [friend.publicKey]))
        let bEnode = try await b.start()
        let stranger = P2PHost(configuration: .init(nodeKey: try PrivateKey.generate(), protocols: [Self.eth68]))
        await #expect(throws: (any Error).self) { _ = try await stranger.connect(to: bEnode) }
        #expect(try await Self.eventually { b.misbehaviour.failedHandshakes == 1 })
        // Our own allow-list also bounds whom we dial.
        let picky = P2PHost(configuration: .init(nodeKey: friend, protocols: [Self.eth68], allowlist: [friend.publicKey]))
        await #expect(throws: RLPxConnectionError.remoteKeyRefused(bEnode.publicKey)) { _ = try await picky.connect(to: bEnode) }
        let allowed = P2PHost(configuration: .init(nodeKey: friend, protocols: [Self.eth68]))
        let peer = try await allowed.connect(to: bEnode)
        #expect(peer.remoteKey == b.configuration.nodeKey.publicKey)
        await allowed.stop()
        await b.stop()
    }

    @Test func nothingListeningFails() async throws {
        let a = P2PHost(configuration: .init(nodeKey: try PrivateKey.generate(), protocols: [Self.eth68]))
        let b = P2PHost(configuration: .init(nodeKey: try PrivateKey.generate(), protocols: [Self.eth68]))
        let enode = try await b.start()
        await b.stop()
        await #expect(throws: (any Error).self) { _ = try await a.connect(to: enode) }
    }
}
