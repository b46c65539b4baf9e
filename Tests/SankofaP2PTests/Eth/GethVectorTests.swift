import SankofaChain
import SankofaPrimitives
import Testing
@testable import SankofaP2P

/// Known bytes from go-ethereum's eth/protocols/eth/protocol_test.go (`TestMessages`): a header with small
/// distinct numbers, two EIP-155 legacy transactions, and the responses built from them. Decoding them and
/// encoding again must give the same bytes.
@Suite("eth/68 messages: geth's known bytes")
struct GethVectorTests {
    static let zeros32 = "a0" + String(repeating: "0", count: 64)
    /// difficulty 2222, number 3333, gas limit 4444, gas used 5555, time 6666, extra 0x7788, zero mix and nonce.
    static let header = "f901f9" + zeros32 + zeros32 + "94" + String(repeating: "0", count: 40) + zeros32 + zeros32
        + zeros32 + "b90100" + String(repeating: "0", count: 512) + "8208ae820d0582115c8215b3821a0a827788" + zeros32
        + "880000000000000000"
    static let tx1 = "f867088504a817c8088302e2489435353535353535353535353535353535353535358202008025"
        + "a064b1702d9298fee62dfeccc57d322a463ad55ca201256d01f62b45b2e1c21c12"
        + "a064b1702d9298fee62dfeccc57d322a463ad55ca201256d01f62b45b2e1c21c10"
    static let tx2 = "f867098504a817c809830334509435353535353535353535353535353535353535358202d98025"
        + "a052f8f61201b2b11a78d6e866abc9c3db2ae8631fa656bfe5cb53668255367afb"
        + "a052f8f61201b2b11a78d6e866abc9c3db2ae8631fa656bfe5cb53668255367afb"

    static let vectors: [(EthMessageCode, String)] = [
        (.blockHeaders, "f90202820457f901fc" + header),
        (.blockBodies, "f902dc820457f902d6f902d3f8d2" + tx1 + tx2 + "f901fc" + header),
        (.pooledTransactions, "f8d7820457f8d2" + tx1 + tx2),
    ]

    @Test func decodeAndEncodeAgain() throws {
        for (code, hex) in Self.vectors {
            let bytes = try Hex.decode(hex)
            let message = try EthMessage.decode(code: code.rawValue, data: bytes)
            #expect(message.encoded == bytes, "\(code)")
        }
    }

    @Test func fieldsAreWhereGethPutsThem() throws {
        let message = try EthMessage.decode(code: EthMessageCode.blockBodies.rawValue, data: try Hex.decode(Self.vectors[1].1))
        guard case .blockBodies(let requestId, let bodies) = message else {
            Issue.record("not BlockBodies")
            return
        }
        #expect(requestId == 1111)
        #expect(bodies.count == 1)
        #expect(bodies[0].transactions.map { $0.nonce } == [8, 9])
        #expect(bodies[0].ommers.map(\.number) == [3333])
        #expect(bodies[0].ommers.first?.extraData == [0x77, 0x88])
    }
}
