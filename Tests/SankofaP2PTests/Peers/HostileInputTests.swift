import NIOCore
import NIOEmbedded
import SankofaCrypto
import SankofaPrimitives
import SankofaTestSupport
import Testing
@testable import SankofaP2P

/// Seeded random abuse of every parser a peer reaches: whatever arrives, the connection is refused or kept,
/// and nothing traps.
@Suite("Hostile input never traps")
struct HostileInputTests {
    @Test func mutatedAuthPackets() throws {
        var random = SplitMix64(seed: 0xa11ce)
        let a = try PrivateKey.generate()
        let b = try PrivateKey.generate()
        for format in [HandshakeFormat.eip8, .legacy] {
            let auth = try RLPxInitiator(staticKey: a, remoteKey: b.publicKey, format: format).authPacket
            for _ in 0..<150 {
                var mutated = auth
                for _ in 0..<(1 + Int(random.next() % 4)) {
                    let index = Int(random.next() % UInt64(mutated.count))
                    mutated[index] = UInt8(truncatingIfNeeded: random.next())
                }
                if random.next() % 4 == 0 { mutated = Array(mutated.prefix(Int(random.next() % UInt64(mutated.count)))) }
                var responder = try RLPxResponder(staticKey: b)
                _ = try? responder.readAuth(mutated[...])
            }
        }
    }

    /// Well-MACed frames carrying random payloads, before and after Hello.
    @Test func randomFramePayloadsReachTheSession() throws {
        var random = SplitMix64(seed: 0xbad)
        for round in 0..<60 {
            let peer = try EmbeddedPeer()
            try peer.handshake()
            _ = try peer.received()
            if round % 2 == 0 { try peer.sendHello() }
            for _ in 0..<5 where peer.isOpen {
                var payload = random.bytes(Int(random.next() % 300))
                if let first = payload.first, random.next() % 2 == 0 { payload[0] = first % 0x20 }  // plausible ids
                peer.feed(try peer.frame(payload))
            }
            _ = try? peer.received()
        }
    }

    /// Random RLP-ish bodies for every base-protocol message id.
    @Test func randomMessageBodies() throws {
        var random = SplitMix64(seed: 0x5eed)
        for _ in 0..<2000 {
            let data = random.bytes(Int(random.next() % 80))
            for id: UInt64 in 0...3 { _ = try? P2PMessage(id: id, data: data) }
            _ = try? Hello(rlp: [0xf8, UInt8(data.count)] + data)
            _ = try? MessageCodec(compression: true).decode(data)
            _ = try? AuthMessage(eip8: data)
            _ = try? AckMessage(eip8: data)
        }
    }
}
