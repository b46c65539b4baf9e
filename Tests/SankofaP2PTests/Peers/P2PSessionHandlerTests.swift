import NIOCore
import NIOEmbedded
import SankofaCrypto
import SankofaPrimitives
import SankofaTestSupport
import Testing
@testable import SankofaP2P

@Suite("P2PSessionHandler: Hello, Ping/Pong, Disconnect")
struct P2PSessionHandlerTests {
    /// A peer past the handshake whose own Hello has been read off the wire.
    static func connected(pingInterval: TimeAmount = .seconds(15),
                          protocols: [any SubProtocol] = [EmbeddedPeer.eth68]) throws -> EmbeddedPeer {
        let peer = try EmbeddedPeer(protocols: protocols, pingInterval: pingInterval)
        try peer.handshake()
        let first = try peer.received()
        #expect(first.count == 1)
        #expect(first.first?.id == 0)
        let hello = try Hello(rlp: first.first?.data ?? [])
        #expect(hello.protocolVersion == 5)
        #expect(hello.nodeId == peer.nodeKey.publicKey.rawBytes)
        #expect(hello.clientId == "sankofa/v0.1.0/linux-x86_64/swift6")
        #expect(hello.capabilities == protocols.map(\.capability).sorted())
        return peer
    }

    @Test func helloThenPingPongAndSubProtocolMessages() throws {
        let peer = try Self.connected()
        try peer.sendHello()
        #expect(peer.isOpen)
        try peer.send(id: 2, data: [0xc0])  // Ping
        #expect(try peer.received().map(\.id) == [3])  // Pong, compressed
        // eth message 0x10 + 3 arrives as eth/3.
        try peer.send(id: 0x13, data: [0xc2, 0x01, 0x02])
        #expect(try peer.channel.readInbound(as: SubProtocolMessage.self) ==
                SubProtocolMessage(protocolName: "eth", id: 3, data: [0xc2, 0x01, 0x02]))
        // And back out: eth/5 goes as 0x15.
        try peer.channel.writeOutbound(SubProtocolMessage(protocolName: "eth", id: 5, data: [0xc0]))
        #expect(try peer.received().map(\.id) == [0x15])
        #expect(throws: P2PSessionError.notShared("snap")) {
            try peer.channel.writeOutbound(SubProtocolMessage(protocolName: "snap", id: 0, data: []))
        }
        #expect(peer.errors.isEmpty)
    }

    @Test func wrongNodeIdIsUnexpectedIdentity() throws {
        let peer = try Self.connected()
        let other = try PrivateKey.generate().publicKey.rawBytes
        try peer.sendHello(accepted: false) { $0.nodeId = other }
        #expect(try peer.disconnectReason() == .unexpectedIdentity)
        #expect(!peer.isOpen)
    }

    @Test func messageBeforeHelloIsABreach() throws {
        let peer = try Self.connected()
        try peer.send(id: 2, data: [0xc0])
        #expect(try peer.disconnectReason() == .breachOfProtocol)
        #expect(!peer.isOpen)
    }

    @Test func subProtocolMessageBeforeHelloIsABreach() throws {
        let peer = try Self.connected()
        try peer.send(id: 0x10, data: [0xc0])
        #expect(try peer.disconnectReason() == .breachOfProtocol)
        #expect(!peer.isOpen)
    }

    @Test func malformedHellosAreBreaches() throws {
        var cases: [[UInt8]] = []
        var writer = RLPWriter()
        writer.writeList { w in w.write(UInt64(5)); w.write(bytes: Array("x".utf8)) }
        cases.append(writer.bytes)  // fields missing
        cases.append([0x05])  // not a list
        cases.append([])  // nothing
        for data in cases {
            let peer = try Self.connected()
            try peer.send(id: 0, data: data)
            #expect(try peer.disconnectReason() == .breachOfProtocol)
            #expect(!peer.isOpen)
        }
    }

    @Test func oversizedHelloIsABreach() throws {
        let peer = try Self.connected()
        try peer.sendHello(accepted: false) { $0.clientId = String(repeating: "x", count: 3000) }
        #expect(try peer.disconnectReason() == .breachOfProtocol)
        #expect(!peer.isOpen)
    }

    @Test func ourOwnKeyIsConnectedToSelf() throws {
        let peer = try EmbeddedPeer(selfConnect: true)
        try peer.handshake()
        _ = try peer.received()  // our Hello
        try peer.sendHello(accepted: false)
        #expect(try peer.disconnectReason() == .connectedToSelf)
        #expect(!peer.isOpen)
    }

    @Test func version4PeerTalksUncompressed() throws {
        let peer = try Self.connected()
        try peer.send(id: 0, data: Hello(protocolVersion: 4, clientId: "old", capabilities: [Capability(name: "eth", version: 68)],
                                         listenPort: 0, nodeId: peer.key.publicKey.rawBytes).rlp)
        #expect(peer.isOpen)
        try peer.send(id: 2, data: [0xc0])  // Ping, uncompressed
        #expect(try peer.received().map(\.id) == [3])  // Pong, uncompressed
        try peer.send(id: 0x11, data: [0xc1, 0x05])
        #expect(try peer.channel.readInbound(as: SubProtocolMessage.self)?.data == [0xc1, 0x05])
    }

    @Test func nothingSharedIsUseless() throws {
        let peer = try Self.connected()
        try peer.sendHello(accepted: false) { $0.capabilities = [Capability(name: "bzz", version: 1)] }
        #expect(try peer.disconnectReason() == .uselessPeer)
    }

    @Test func secondHelloAndUnknownIdsAreBreaches() throws {
        let peer = try Self.connected()
        try peer.sendHello()
        try peer.sendHello()
        #expect(try peer.disconnectReason() == .breachOfProtocol)

        let other = try Self.connected()
        try other.sendHello()
        try other.send(id: 0x40, data: [0xc0])  // beyond eth/68's 17 ids
        #expect(try other.disconnectReason() == .breachOfProtocol)
    }

    @Test func badCompressionIsABreach() throws {
        let peer = try Self.connected()
        try peer.sendHello()
        peer.feed(try peer.frame([0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))
        #expect(try peer.disconnectReason() == .breachOfProtocol)
        let bomb = try Self.connected()
        try bomb.sendHello()
        bomb.feed(try bomb.frame([0x10, 0x80, 0x80, 0x80, 0x10]))  // announces 32 MiB
        #expect(try bomb.disconnectReason() == .breachOfProtocol)
    }

    @Test func remoteDisconnectCloses() throws {
        let peer = try Self.connected()
        try peer.sendHello()
        try peer.send(id: 1, data: P2PMessage.disconnect(.tooManyPeers).data)
        #expect(!peer.isOpen)
    }

    @Test func pingsAndDropsASilentPeer() throws {
        let peer = try Self.connected()
        try peer.sendHello()
        peer.channel.embeddedEventLoop.advanceTime(by: .seconds(15))
        #expect(try peer.received().map(\.id) == [2])  // our Ping
        try peer.send(id: 3, data: [0xc0])  // their Pong
        peer.channel.embeddedEventLoop.advanceTime(by: .seconds(15))
        #expect(try peer.received().map(\.id) == [2])  // the next Ping
        #expect(peer.isOpen)
        peer.channel.embeddedEventLoop.advanceTime(by: .seconds(15))  // no Pong this time
        #expect(try peer.disconnectReason() == .pingTimeout)
        #expect(!peer.isOpen)
    }

    @Test func commandedPingCompletesOnPong() throws {
        let peer = try Self.connected()
        try peer.sendHello()
        let pong = peer.channel.triggerUserOutboundEvent(P2PSessionCommand.ping)
        #expect(try peer.received().map(\.id) == [2])
        let done = Locked(false)
        pong.whenSuccess { done.withLock { $0 = true } }
        #expect(!done.withLock { $0 })
        try peer.send(id: 3, data: [0xc0])
        #expect(done.withLock { $0 })
        let bye = peer.channel.triggerUserOutboundEvent(P2PSessionCommand.disconnect(.clientQuitting))
        try bye.wait()
        #expect(try peer.disconnectReason() == .clientQuitting)
        #expect(!peer.isOpen)
    }
}
