import SankofaCrypto
import SankofaP2P
import SankofaPrimitives
import SankofaQBFT
import Testing
@testable import SankofaNode

/// QBFT gossip over real RLPx sessions between in-process hosts on 127.0.0.1: every connected `istanbul` peer is
/// written to, so members of a hot-standby group (whose node keys are no validator's) receive consensus messages.
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

    /// Every `istanbul` peer gets every message, addressed or not: D's node key is no validator's (a member of a
    /// hot-standby group signs with a shared key), and it still receives what is sent to that group's validator.
    @Test func sendsToEveryIstanbulPeer() async throws {
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
        let d = try host("d", protocols: [IstanbulSubProtocol(), eth68])
        defer { Task { for h in [a, b, c, d] { await h.stop() } } }
        try await a.start()
        for other in [b, c, d] { _ = try await a.connect(to: try await other.start()) }
        let gossip = PeerGossip()
        gossip.attach(a)
        let bAddress = b.configuration.nodeKey.address
        let cAddress = c.configuration.nodeKey.address
        let standbyGroup = try PrivateKey.generate().address

        gossip.multicast(code: Int(QBFTMessageCode.prepare.rawValue), data: [0xc1, 0x01], to: [bAddress, cAddress, standbyGroup])
        gossip.send(code: Int(QBFTMessageCode.commit.rawValue), data: [0xc1, 0x02], to: standbyGroup)
        gossip.send(code: 0x19, data: [0xc0], to: bAddress)   // not a QBFT code: never sent
        #expect(try await Self.eventually { received.withLock { $0["b"]?.count == 2 && $0["d"]?.count == 2 } })
        for name in ["b", "d"] {
            let got = received.withLock { $0[name] ?? [] }
            #expect(got.map(\.id) == [0x13, 0x14])
            #expect(got.map(\.data) == [[0xc1, 0x01], [0xc1, 0x02]])
            #expect(got.allSatisfy { $0.protocolName == "istanbul" })
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(received.withLock { $0["c"] } == nil)
        #expect(gossip.sentCounts == PeerGossip.Counts(sent: 4, unreachable: 1, backpressured: 0))   // code 0x19
    }

    @Test func unattachedGossipReachesNobody() {
        let gossip = PeerGossip()
        gossip.multicast(code: 0x12, data: [], to: [Address(low: 1), Address(low: 2)])
        #expect(gossip.sentCounts == PeerGossip.Counts(sent: 0, unreachable: 1, backpressured: 0))
    }

    /// A relayed message goes to every `istanbul` peer but its holders' (node keys that signed it or voted on it):
    /// they have it, and a proposal can be megabytes.
    @Test func relaySkipsTheHoldersPeers() async throws {
        let received = Locked<[String: Int]>([:])
        func host(_ name: String) throws -> P2PHost {
            P2PHost(configuration: .init(nodeKey: try PrivateKey.generate(), protocols: [IstanbulSubProtocol()])) { _, _ in
                received.withLock { $0[name, default: 0] += 1 }
            }
        }
        let (a, author, voter, other) = (try host("a"), try host("author"), try host("voter"), try host("other"))
        defer { Task { for h in [a, author, voter, other] { await h.stop() } } }
        try await a.start()
        for peer in [author, voter, other] { _ = try await a.connect(to: try await peer.start()) }
        let gossip = PeerGossip()
        gossip.attach(a)
        let (authorAddress, voterAddress, otherAddress) = (author.configuration.nodeKey.address,
                                                           voter.configuration.nodeKey.address,
                                                           other.configuration.nodeKey.address)

        gossip.relay(code: Int(QBFTMessageCode.proposal.rawValue), data: [0xc1, 0x01], to: [otherAddress],
                     holders: [authorAddress, voterAddress])
        gossip.multicast(code: Int(QBFTMessageCode.commit.rawValue), data: [0xc1, 0x02],
                         to: [authorAddress, voterAddress, otherAddress])
        #expect(try await Self.eventually {
            received.withLock { $0["other"] == 2 && $0["author"] == 1 && $0["voter"] == 1 }
        })
        try await Task.sleep(for: .milliseconds(100))
        #expect(received.withLock { $0 } == ["other": 2, "author": 1, "voter": 1])
        #expect(gossip.sentCounts == PeerGossip.Counts(sent: 4, unreachable: 0, backpressured: 0))
    }
}
