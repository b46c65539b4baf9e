import NIOCore
import SankofaCrypto
import SankofaPrimitives
import SankofaTestSupport
import Testing
@testable import SankofaP2P

/// A full in-memory handshake between our initiator and responder, then frames both ways.
@Suite("RLPx handshake and frames, in memory")
struct HandshakeRoundTripTests {
    /// Runs a handshake and returns (initiator, responder) codecs.
    static func connect(format: HandshakeFormat) throws -> (RLPxFrameCodec, RLPxFrameCodec, PrivateKey, PrivateKey) {
        let a = try PrivateKey.generate()
        let b = try PrivateKey.generate()
        let initiator = try RLPxInitiator(staticKey: a, remoteKey: b.publicKey, format: format)
        var responder = try RLPxResponder(staticKey: b)
        #expect(try responder.readAuth(initiator.authPacket[...]) == initiator.authPacket.count)
        #expect(responder.format == format)
        #expect(responder.remoteKey == a.publicKey)
        let ack = try responder.makeAck()
        let (initiatorSecrets, used) = try #require(try initiator.readAck(ack[...]))
        #expect(used == ack.count)
        let responderSecrets = try responder.secrets()
        #expect(initiatorSecrets.aesSecret == responderSecrets.aesSecret)
        #expect(initiatorSecrets.macSecret == responderSecrets.macSecret)
        #expect(initiatorSecrets.remoteKey == b.publicKey)
        #expect(responderSecrets.remoteKey == a.publicKey)
        return (try RLPxFrameCodec(secrets: initiatorSecrets), try RLPxFrameCodec(secrets: responderSecrets), a, b)
    }

    @Test(arguments: [HandshakeFormat.eip8, .legacy])
    func handshakeThenFramesBothWays(format: HandshakeFormat) throws {
        let (initiator, responder, _, _) = try Self.connect(format: format)
        var random = SplitMix64(seed: 42)
        for size in [0, 1, 15, 16, 17, 1000, 100_000] {
            let payload = random.bytes(size)
            let wire = try initiator.encodeFrame(payload)
            #expect(wire.count == RLPxFrameCodec.wireSize(ofFrame: size))
            var inbound = ByteBuffer(bytes: wire)
            #expect(try responder.readFrame(from: &inbound).map { Array($0.readableBytesView) } == payload)
            #expect(inbound.readableBytes == 0)

            let reply = random.bytes(size)
            var back = ByteBuffer(bytes: try responder.encodeFrame(reply))
            #expect(try initiator.readFrame(from: &back).map { Array($0.readableBytesView) } == reply)
        }
    }

    @Test func framesArrivingInPiecesAndBackToBack() throws {
        let (initiator, responder, _, _) = try Self.connect(format: .eip8)
        var random = SplitMix64(seed: 7)
        let payloads = [0, 33, 16, 5000, 1].map { random.bytes($0) }
        var wire: [UInt8] = []
        for payload in payloads { wire += try initiator.encodeFrame(payload) }
        var inbound = ByteBuffer()
        var received: [[UInt8]] = []
        var offset = 0
        while offset < wire.count {
            let chunk = min(wire.count - offset, Int(random.next() % 40) + 1)
            inbound.writeBytes(wire[offset..<(offset + chunk)])
            offset += chunk
            while let frame = try responder.readFrame(from: &inbound) { received.append(Array(frame.readableBytesView)) }
        }
        #expect(received == payloads)
    }

    @Test func packetsArrivingInPieces() throws {
        let a = try PrivateKey.generate()
        let b = try PrivateKey.generate()
        for format in [HandshakeFormat.eip8, .legacy] {
            let initiator = try RLPxInitiator(staticKey: a, remoteKey: b.publicKey, format: format)
            var responder = try RLPxResponder(staticKey: b)
            let auth = initiator.authPacket
            for end in stride(from: 0, to: auth.count, by: 50) { #expect(try responder.readAuth(auth[0..<end]) == nil) }
            #expect(try responder.readAuth(auth[...]) == auth.count)
        }
    }

    @Test func wrongRecipientAndGarbageAreRefused() throws {
        let a = try PrivateKey.generate()
        let b = try PrivateKey.generate()
        let initiator = try RLPxInitiator(staticKey: a, remoteKey: b.publicKey)
        // Encrypted to b, read by someone else.
        var stranger = try RLPxResponder(staticKey: try PrivateKey.generate())
        #expect(throws: RLPxError.self) { _ = try stranger.readAuth(initiator.authPacket[...]) }
        // Garbage with a plausible size prefix, and one with a too-small prefix.
        var random = SplitMix64(seed: 1)
        var responder = try RLPxResponder(staticKey: b)
        let garbage: [UInt8] = [0x01, 0x00] + random.bytes(256)
        #expect(throws: RLPxError.self) { _ = try responder.readAuth(garbage[...]) }
        #expect(throws: RLPxError.handshakePacketTooShort(size: 16)) { _ = try responder.readAuth([0x00, 0x10, 1, 2][...]) }
        // 0x04-led garbage is tried as legacy, then as EIP-8 of size 0x04xx: wait for more, never trap.
        let legacyish: [UInt8] = [0x04] + random.bytes(400)
        #expect(try responder.readAuth(legacyish[...]) == nil)
    }

    @Test func tamperedFramesAreRefused() throws {
        let (initiator, responder, _, _) = try Self.connect(format: .eip8)
        let wire = try initiator.encodeFrame(Array(repeating: 7, count: 40))
        // Header MAC: flip a header bit.
        do {
            let (i, r, _, _) = try Self.connect(format: .eip8)
            var bad = try i.encodeFrame([1, 2, 3])
            bad[3] ^= 1
            var buffer = ByteBuffer(bytes: bad)
            #expect(throws: RLPxError.headerMACMismatch) { _ = try r.readFrame(from: &buffer) }
        }
        // Body MAC: flip a body bit.
        var bad = wire
        bad[40] ^= 1
        var buffer = ByteBuffer(bytes: bad)
        #expect(throws: RLPxError.frameMACMismatch) { _ = try responder.readFrame(from: &buffer) }
    }

    @Test func oversizedFramesAreRefusedFromTheHeader() throws {
        // A small limit on the reading side: the header alone is enough to refuse.
        let a = try PrivateKey.generate()
        let b = try PrivateKey.generate()
        let i = try RLPxInitiator(staticKey: a, remoteKey: b.publicKey)
        var r = try RLPxResponder(staticKey: b)
        _ = try r.readAuth(i.authPacket[...])
        let ack = try r.makeAck()
        let writer = try RLPxFrameCodec(secrets: try #require(try i.readAck(ack[...])).secrets)
        let reader = try RLPxFrameCodec(secrets: try r.secrets(), maxFrameSize: 1024)
        var buffer = ByteBuffer(bytes: Array(try writer.encodeFrame([UInt8](repeating: 0, count: 2048)).prefix(32)))
        #expect(throws: RLPxError.frameTooLarge(size: 2048, limit: 1024)) { _ = try reader.readFrame(from: &buffer) }
        // Writing beyond the 3-byte size field is refused too.
        #expect(throws: RLPxError.frameTooLarge(size: 1 << 24, limit: 0xFF_FFFF)) {
            _ = try writer.encodeFrame([UInt8](repeating: 0, count: 1 << 24))
        }
    }
}
