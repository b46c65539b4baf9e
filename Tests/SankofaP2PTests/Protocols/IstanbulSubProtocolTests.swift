import Testing
@testable import SankofaP2P

/// `istanbul/100` as Besu declares it: name, version, a 0x16-id message space, four consensus codes.
@Suite("istanbul/100 sub-protocol")
struct IstanbulSubProtocolTests {
    @Test func declaresBesusCapabilityAndMessageSpace() {
        let istanbul = IstanbulSubProtocol()
        #expect(istanbul.capability == Capability(name: "istanbul", version: 100))
        #expect(istanbul.capability.description == "istanbul/100")
        #expect(istanbul.messageCount == 0x16)
    }

    /// Ids are assigned by capability name: `eth/68` (17 ids) takes 0x10…0x20, `istanbul` starts at 0x21, so a
    /// PROPOSAL goes on the wire as 0x21 + 0x12 = 0x33, as with Besu.
    @Test func negotiatesAfterEthAndRoutesConsensusIDs() throws {
        let eth68 = SubProtocolDescriptor(name: "eth", version: 68, messageCount: 17)
        let shared = SharedCapabilities(local: [IstanbulSubProtocol(), eth68],
                                        remote: [Capability(name: "istanbul", version: 100), eth68.capability])
        #expect(shared.entries.map(\.capability.name) == ["eth", "istanbul"])
        #expect(shared.wireID(name: "istanbul", relativeID: 0x12) == 0x33)
        #expect(shared.wireID(name: "istanbul", relativeID: 0x15) == 0x36)
        #expect(shared.wireID(name: "istanbul", relativeID: 0x16) == nil)
        let routed = try #require(shared.route(0x34))
        #expect(routed.capability.name == "istanbul" && routed.relativeID == 0x13)
    }

    @Test func notSharedWithAPeerOnAnotherVersion() {
        let shared = SharedCapabilities(local: [IstanbulSubProtocol()], remote: [Capability(name: "istanbul", version: 99)])
        #expect(shared.isEmpty)
    }

    @Test(arguments: [0x12, 0x13, 0x14, 0x15])
    func consensusCodesRoundTrip(code: Int) throws {
        let message = try #require(IstanbulSubProtocol.message(code: code, data: [0xc0]))
        #expect(message.protocolName == "istanbul" && message.id == UInt64(code))
        #expect(IstanbulSubProtocol.consensusCode(of: message) == code)
    }

    /// Anything else a peer sends is ignored, never trapped on.
    @Test func ignoresOtherIDsAndProtocols() {
        for id: UInt64 in [0, 0x11, 0x16, 0x19, .max] {
            #expect(IstanbulSubProtocol.consensusCode(of: SubProtocolMessage(protocolName: "istanbul", id: id, data: [])) == nil)
        }
        #expect(IstanbulSubProtocol.consensusCode(of: SubProtocolMessage(protocolName: "eth", id: 0x12, data: [])) == nil)
        for code in [-1, 0, 0x11, 0x16, Int.max, Int.min] { #expect(IstanbulSubProtocol.message(code: code, data: []) == nil) }
    }
}
