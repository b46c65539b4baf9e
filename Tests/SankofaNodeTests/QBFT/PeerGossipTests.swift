import SankofaCrypto
import SankofaP2P
import SankofaPrimitives
import SankofaQBFT
import Testing
@testable import SankofaNode

/// QBFT gossip over real RLPx sessions between in-process hosts on 127.0.0.1: validator addresses map to the
/// peers whose node keys they are, and only connected `istanbul` validators are written to.
@Suite("QBFT gossip over istanbul/100", .timeLimit(.minutes(1)))
struct PeerGossipTests {
    /// The sub-protocol's codes are QBFT's (`SankofaP2P` mirrors them because it cannot import `SankofaQBFT`).
    @Test func subProtocolCodesAreQBFTs() {
        #expect(QBFTMessageCode.allCases.map { UInt64($0.rawValue) } == Array(IstanbulSubProtocol.consensusMessageIDs))
        #expect(UInt64(QBFTMessageCode.messageSpace) == IstanbulSubProtocol.messageSpace)
    }

    @Test func aPeersValidatorAddressIsItsNodeKeysAddress() throws {
        let key = try PrivateKey(hex: "0xc87509a1c067bbde78beb793e6fa76530b6382a4c0241e5e4a9ec0a0f44dc0d3")
        #expect(ValidatorPeers.address(of: key.publicKey) == key.address)
        #expect(ValidatorPeers.address(of: key.publicKey) == (try Address(hex: "0x627306090abaB3A6e1400e9345bC60c78a8BEf57")))
    }

    static func eventually(_ condition: () -> Bool) async throws -> Bool {
        for _ in 0..<300 {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    @Test func sendsToConnectedValidatorsOnly() async throws {
        let received = Locked<[String: [SubProtocolMessage]]>([:])
        func host(_ name: String, protocols: [any SubProtocol]) throws -> P2PHost {
            P2PHost(configuration: .init(nodeKey: try PrivateKey.generate(), protocols: protocols)) { _, message in
                received.withLock { $0[name, default: []].append(message) }
            }
        }
        let eth68 = SubProtocolDescriptor(name: "eth", version: 68, messageCount: 17)
        let a = try host("a", protocols: [IstanbulSubProtocol(), eth68])
        let b = try host("b", protocols: [IstanbulSubProtocol()])
        // C shares only `eth` with A: even as an addressed validator it gets no consensus message.
        let c = try host("c", protocols: [eth68])
        defer { Task { for h in [a, b, c] { await h.stop() } } }
        try await a.start()
        let bEnode = try await b.start()
        let cEnode = try await c.start()
        _ = try await a.connect(to: bEnode)
        _ = try await a.connect(to: cEnode)
        let gossip = PeerGossip()
        gossip.attach(a)
        let bAddress = b.configuration.nodeKey.address
        let cAddress = c.configuration.nodeKey.address
        let absent = try PrivateKey.generate().address

        gossip.multicast(code: Int(QBFTMessageCode.prepare.rawValue), data: [0xc1, 0x01], to: [bAddress, cAddress, absent])
        gossip.send(code: Int(QBFTMessageCode.commit.rawValue), data: [0xc1, 0x02], to: bAddress)
        gossip.send(code: 0x19, data: [0xc0], to: bAddress)   // not a QBFT code: never sent
        #expect(try await Self.eventually { received.withLock { $0["b"]?.count == 2 } })
        let atB = received.withLock { $0["b"] ?? [] }
        #expect(atB.map(\.id) == [0x13, 0x14])
        #expect(atB.map(\.data) == [[0xc1, 0x01], [0xc1, 0x02]])
        #expect(atB.allSatisfy { $0.protocolName == "istanbul" })
        try await Task.sleep(for: .milliseconds(100))
        #expect(received.withLock { $0["c"] } == nil)
        #expect(gossip.sentCounts.sent == 2)
        #expect(gossip.sentCounts.unreachable == 3)   // C and the absent validator, then code 0x19's one
    }

    @Test func unattachedGossipReachesNobody() {
        let gossip = PeerGossip()
        gossip.multicast(code: 0x12, data: [], to: [Address(low: 1), Address(low: 2)])
        #expect(gossip.sentCounts == PeerGossip.Counts(sent: 0, unreachable: 2, backpressured: 0))
    }
}
