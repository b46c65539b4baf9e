import SankofaCrypto
import SankofaPrimitives
import SankofaTestSupport
import Testing
@testable import SankofaP2P

@Suite("devp2p base protocol messages")
struct WireMessageTests {
    static func hello(caps: [Capability] = [Capability(name: "eth", version: 68)]) throws -> Hello {
        Hello(clientId: "sankofa/v0.1.0/linux-x86_64/swift6", capabilities: caps, listenPort: 30303,
              nodeId: try PrivateKey.generate().publicKey.rawBytes)
    }

    @Test func helloRoundTrip() throws {
        let hello = try Self.hello(caps: [Capability(name: "eth", version: 68), Capability(name: "istanbul", version: 100)])
        #expect(try Hello(rlp: hello.rlp) == hello)
        let message = try #require(try P2PMessage(id: 0, data: hello.rlp))
        #expect(message == .hello(hello))
    }

    @Test func badHellosAreRefused() throws {
        var hello = try Self.hello()
        hello.nodeId = Array(hello.nodeId.prefix(63))
        #expect(throws: WireError.invalidHello("nodeId is 63 bytes, not 64")) { _ = try Hello(rlp: hello.rlp) }
        hello = try Self.hello()
        hello.clientId = String(repeating: "x", count: 2100)
        #expect(throws: WireError.helloTooLarge(size: hello.rlp.count, limit: 2048)) { _ = try Hello(rlp: hello.rlp) }
        // Fields missing: only [version, clientId].
        var writer = RLPWriter()
        writer.writeList { w in w.write(UInt64(5)); w.write(bytes: Array("x".utf8)) }
        #expect(throws: WireError.self) { _ = try Hello(rlp: writer.bytes) }
        // Not a list, empty, trailing garbage.
        #expect(throws: WireError.self) { _ = try Hello(rlp: [0x05]) }
        #expect(throws: WireError.self) { _ = try Hello(rlp: []) }
        #expect(throws: WireError.self) { _ = try Hello(rlp: try Self.hello().rlp + [0x00]) }
        // A capability name that is not printable ASCII.
        #expect(throws: WireError.self) {
            _ = try Hello(rlp: try Self.hello(caps: [Capability(name: "e\u{0}h", version: 1)]).rlp)
        }
    }

    @Test func disconnectReasons() throws {
        for code in UInt8(0)...0x11 {
            let reason = DisconnectReason(code: code)
            #expect(reason.code == code)
            #expect(!reason.description.isEmpty)
            #expect(try P2PMessage(id: 1, data: P2PMessage.disconnect(reason).data) == .disconnect(reason))
        }
        #expect(DisconnectReason(code: 0x0b) == .pingTimeout)
        #expect(DisconnectReason(code: 0x0c) == .other(0x0c))
        // Lenient forms seen in the wild: a bare byte, an empty list, nothing.
        #expect(try P2PMessage(id: 1, data: [0x04]) == .disconnect(.tooManyPeers))
        #expect(try P2PMessage(id: 1, data: [0xc0]) == .disconnect(.requested))
        #expect(try P2PMessage(id: 1, data: []) == .disconnect(.requested))
        #expect(try P2PMessage(id: 2, data: [0xc0]) == .ping)
        #expect(try P2PMessage(id: 3, data: [0xc0]) == .pong)
        #expect(try P2PMessage(id: 7, data: []) == nil)
    }

    @Test func messageCodecCompressesAllButHello() throws {
        let plain = MessageCodec(compression: false)
        let snappy = MessageCodec(compression: true)
        let data = [UInt8](repeating: 0xaa, count: 1000)
        #expect(plain.encode(id: 0x10, data: data) == [0x10] + data)
        let compressed = snappy.encode(id: 0x10, data: data)
        #expect(compressed.count < 100)
        #expect(try snappy.decode(compressed).data == data)
        #expect(try snappy.decode(compressed).id == 0x10)
        // Hello is never compressed.
        #expect(snappy.encode(id: 0, data: data) == [0x80] + data)
        #expect(try snappy.decode([0x80] + data).data == data)
        // Ids above 0x7f take a longer RLP integer.
        #expect(try plain.decode(plain.encode(id: 0x1234, data: [1])) == (0x1234, [1]))
        // Garbage compressed data, a non-canonical id, an empty payload.
        #expect(throws: WireError.self) { _ = try snappy.decode([0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]) }
        #expect(throws: WireError.self) { _ = try plain.decode([0x81, 0x05]) }
        #expect(throws: WireError.self) { _ = try plain.decode([]) }
        // Announcing more than 16 MiB decompressed.
        let bomb: [UInt8] = [0x10, 0x80, 0x80, 0x80, 0x10]  // varint 32 MiB, no body
        #expect(throws: WireError.compression(.tooLarge(announced: 32 << 20, limit: 16 << 20))) { _ = try snappy.decode(bomb) }
    }

    @Test func capabilityNegotiation() {
        let local: [any SubProtocol] = [
            SubProtocolDescriptor(name: "eth", version: 66, messageCount: 17),
            SubProtocolDescriptor(name: "eth", version: 68, messageCount: 17),
            SubProtocolDescriptor(name: "snap", version: 1, messageCount: 8),
            SubProtocolDescriptor(name: "istanbul", version: 100, messageCount: 4),
            SubProtocolDescriptor(name: "les", version: 4, messageCount: 23),
        ]
        let remote = [Capability(name: "snap", version: 1), Capability(name: "eth", version: 67),
                      Capability(name: "eth", version: 66), Capability(name: "eth", version: 68),
                      Capability(name: "istanbul", version: 100), Capability(name: "bzz", version: 1)]
        let shared = SharedCapabilities(local: local, remote: remote)
        // Sorted by name: eth/68 (highest shared), istanbul/100, snap/1; les and bzz are not shared.
        #expect(shared.entries.map(\.capability) == [Capability(name: "eth", version: 68),
                                                     Capability(name: "istanbul", version: 100),
                                                     Capability(name: "snap", version: 1)])
        #expect(shared.entries.map(\.offset) == [0x10, 0x21, 0x25])
        #expect(shared.route(0x10)?.relativeID == 0)
        #expect(shared.route(0x20)?.capability == Capability(name: "eth", version: 68))
        #expect(shared.route(0x21)?.capability.name == "istanbul")
        #expect(shared.route(0x2c)?.relativeID == 7)
        #expect(shared.route(0x2d) == nil)
        #expect(shared.route(0x02) == nil)
        #expect(shared.wireID(name: "snap", relativeID: 7) == 0x2c)
        #expect(shared.wireID(name: "snap", relativeID: 8) == nil)
        #expect(SharedCapabilities(local: local, remote: [Capability(name: "bzz", version: 1)]).isEmpty)
    }
}
