import NIOCore
import NIOEmbedded
import SankofaCrypto
import SankofaTestSupport
import Testing
@testable import SankofaP2P

@Suite("RLPxHandler on an EmbeddedChannel")
struct RLPxHandlerTests {
    @Test func handshakeThenFrames() throws {
        let peer = try EmbeddedPeer(session: false)
        #expect(try peer.handshake())
        peer.feed(try peer.frame([1, 2, 3]))
        #expect(try peer.channel.readInbound(as: ByteBuffer.self).map { Array($0.readableBytesView) } == [1, 2, 3])
        // Two frames in one read, then one split across three reads.
        peer.feed(try peer.frame([4]) + peer.frame([5, 6]))
        #expect(try peer.channel.readInbound(as: ByteBuffer.self).map { Array($0.readableBytesView) } == [4])
        #expect(try peer.channel.readInbound(as: ByteBuffer.self).map { Array($0.readableBytesView) } == [5, 6])
        let split = try peer.frame(Array(repeating: 9, count: 100))
        peer.feed(Array(split[0..<10]))
        peer.feed(Array(split[10..<60]))
        #expect(try peer.channel.readInbound(as: ByteBuffer.self) == nil)
        peer.feed(Array(split[60...]))
        #expect(try peer.channel.readInbound(as: ByteBuffer.self)?.readableBytes == 100)
        #expect(peer.errors.isEmpty)
        #expect(peer.isOpen)
    }

    @Test func garbageInsteadOfAuthCloses() throws {
        var random = SplitMix64(seed: 3)
        for garbage in [[0x01, 0x00] + random.bytes(300), [0x00, 0x05, 1, 2, 3]] {
            let peer = try EmbeddedPeer(session: false)
            peer.feed(garbage)
            #expect(!peer.isOpen, "garbage \(garbage.prefix(4)) left the connection open")
            #expect(peer.errors.contains { $0 is RLPxError })
        }
        // 0x04-led garbage is not a legacy auth, and as EIP-8 it announces 1 KiB+: it waits, then times out.
        let peer = try EmbeddedPeer(session: false)
        peer.feed([0x04] + random.bytes(400))
        #expect(peer.isOpen)
        peer.channel.embeddedEventLoop.advanceTime(by: .seconds(5))
        #expect(!peer.isOpen)
    }

    @Test func handshakeTimesOut() throws {
        let peer = try EmbeddedPeer(session: false)
        peer.feed([0x01])  // one byte, then silence
        peer.channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        #expect(peer.isOpen)
        peer.channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!peer.isOpen)
        #expect(throws: RLPxConnectionError.handshakeTimeout(seconds: 5)) { try peer.channel.throwIfErrorCaught() }
    }

    @Test func completedHandshakeIsNotTimedOut() throws {
        let peer = try EmbeddedPeer(session: false)
        #expect(try peer.handshake())
        peer.channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(peer.isOpen)
    }

    @Test func allowListRefusesOtherKeys() throws {
        let channel = EmbeddedChannel()
        let nodeKey = try PrivateKey.generate()
        try channel.pipeline.syncOperations.addHandler(RLPxHandler(staticKey: nodeKey, role: .responder(accept: { _ in false })))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        let dialler = try PrivateKey.generate()
        let initiator = try RLPxInitiator(staticKey: dialler, remoteKey: nodeKey.publicKey)
        #expect(throws: RLPxConnectionError.remoteKeyRefused(dialler.publicKey)) {
            try channel.writeInbound(ByteBuffer(bytes: initiator.authPacket))
        }
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)  // no ack
        #expect(!channel.isActive)
    }

    @Test func corruptedHeaderMACCloses() throws {
        let peer = try EmbeddedPeer(session: false)
        try peer.handshake()
        var bad = try peer.frame([1, 2, 3])
        bad[20] ^= 0x80
        peer.feed(bad)
        #expect(!peer.isOpen)
        #expect(peer.errors.contains { ($0 as? RLPxError) == .headerMACMismatch })
    }

    @Test func corruptedBodyMACCloses() throws {
        let peer = try EmbeddedPeer(session: false)
        try peer.handshake()
        var bad = try peer.frame([1, 2, 3])
        bad[bad.count - 1] ^= 0x01
        peer.feed(bad)
        #expect(!peer.isOpen)
        #expect(peer.errors.contains { ($0 as? RLPxError) == .frameMACMismatch })
        #expect(try peer.channel.readInbound(as: ByteBuffer.self) == nil)
    }

    @Test func truncatedFrameDeliversNothing() throws {
        let peer = try EmbeddedPeer(session: false)
        try peer.handshake()
        let frame = try peer.frame(Array(repeating: 1, count: 64))
        peer.feed(Array(frame.dropLast(5)))
        #expect(try peer.channel.readInbound(as: ByteBuffer.self) == nil)
        #expect(peer.isOpen)
        // The peer hangs up mid-frame: a clean close, nothing delivered, nothing trapped.
        _ = try? peer.channel.close().wait()
        #expect(!peer.isOpen)
    }

    @Test func oversizedFrameIsRefusedFromItsHeader() throws {
        let peer = try EmbeddedPeer(session: false, maxFrameSize: 1024)
        try peer.handshake()
        let frame = try peer.frame(Array(repeating: 0, count: 4096))
        peer.feed(Array(frame.prefix(32)))  // the header alone
        #expect(!peer.isOpen)
        #expect(peer.errors.contains { ($0 as? RLPxError) == .frameTooLarge(size: 4096, limit: 1024) })
    }

    @Test func anOversizedWriteFailsAloneWithoutClosing() throws {
        let peer = try EmbeddedPeer(session: false)
        try peer.handshake()
        #expect(throws: RLPxError.frameTooLarge(size: 1 << 24, limit: 0xFF_FFFF)) {
            try peer.channel.writeOutbound(ByteBuffer(repeating: 0, count: 1 << 24))
        }
        #expect(peer.isOpen)
        // The egress stream is untouched: the next frame still reads correctly on the other side.
        try peer.channel.writeOutbound(ByteBuffer(bytes: [7, 7]))
        var wire = try #require(try peer.channel.readOutbound(as: ByteBuffer.self))
        #expect(try peer.codec?.readFrame(from: &wire).map { Array($0.readableBytesView) } == [7, 7])
    }

    @Test func slowDripAuthStillCompletes() throws {
        for format in [HandshakeFormat.eip8, .legacy] {
            let peer = try EmbeddedPeer(session: false)
            let initiator = try RLPxInitiator(staticKey: peer.key, remoteKey: peer.nodeKey.publicKey, format: format)
            for byte in initiator.authPacket { peer.feed([byte]) }
            let ack = try #require(try peer.channel.readOutbound(as: ByteBuffer.self))
            #expect(try initiator.readAck(Array(ack.readableBytesView)[...]) != nil)
            #expect(peer.errors.isEmpty)
        }
    }

    @Test func writesBeforeTheHandshakeFail() throws {
        let peer = try EmbeddedPeer(session: false)
        #expect(throws: RLPxConnectionError.notEstablished) {
            try peer.channel.writeOutbound(ByteBuffer(bytes: [1, 2, 3]))
        }
    }
}
