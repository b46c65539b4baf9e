import SankofaChain
import SankofaPrimitives
import Testing
@testable import SankofaP2P

@Suite("eth/68 messages")
struct EthMessageTests {
    @Test func protocolDeclaration() {
        let eth = EthProtocol()
        #expect(eth.capability == Capability(name: "eth", version: 68))
        #expect(eth.messageCount == 17)
        #expect(EthMessageCode.allCases.allSatisfy { $0.rawValue < eth.messageCount })
    }

    @Test(arguments: EthFixtures.everyMessage)
    func roundTrip(message: EthMessage) throws {
        let bytes = message.encoded
        let decoded = try EthMessage.decode(code: message.code.rawValue, data: bytes)
        #expect(decoded == message)
        #expect(decoded.encoded == bytes)
    }

    @Test func transactionsUseTheNetworkForm() throws {
        let bytes = EthMessage.transactions(EthFixtures.transactions).encoded
        var reader = RLPReader(bytes)
        var list = try reader.readList()
        // Legacy: a list; typed: a string whose payload is type ‖ rlp(fields).
        #expect(try list.peekIsList())
        #expect(Array(try list.readRawItem()) == EthFixtures.transactions[0].encoded)
        #expect(Array(try list.readBytes()) == EthFixtures.transactions[1].encoded)
        #expect(Array(try list.readBytes()) == EthFixtures.transactions[2].encoded)
        try list.finish()
    }

    @Test func receiptsUseTheConsensusForm() throws {
        let bytes = EthMessage.receipts(requestId: 9, [EthFixtures.receipts]).encoded
        var reader = RLPReader(bytes)
        var fields = try reader.readList()
        #expect(try fields.readUInt64() == 9)
        var blocks = try fields.readList()
        var receipts = try blocks.readList()
        #expect(Array(try receipts.readRawItem()) == EthFixtures.receipts[0].encoded)
        #expect(Array(try receipts.readBytes()) == EthFixtures.receipts[1].encoded)
        #expect(Array(try receipts.readBytes()) == EthFixtures.receipts[2].encoded)
        try receipts.finish()
    }

    // Known bytes: the EIP-2481 examples, also in go-ethereum's eth/protocols/eth/protocol_test.go.
    static let deadc0de = Hash32(bytes: Array(repeating: 0, count: 28) + [0xde, 0xad, 0xc0, 0xde])!
    static let feedbeef = Hash32(bytes: Array(repeating: 0, count: 28) + [0xfe, 0xed, 0xbe, 0xef])!
    static let twoHashes = "f847820457f842a000000000000000000000000000000000000000000000000000000000deadc0de"
        + "a000000000000000000000000000000000000000000000000000000000feedbeef"

    static let knownBytes: [(EthMessage, String)] = [
        (.getBlockHeaders(requestId: 1111, HeaderQuery(origin: .hash(deadc0de), amount: 5, skip: 5)),
         "e8820457e4a000000000000000000000000000000000000000000000000000000000deadc0de050580"),
        (.getBlockHeaders(requestId: 1111, HeaderQuery(origin: .number(9999), amount: 5, skip: 5)),
         "ca820457c682270f050580"),
        (.getBlockBodies(requestId: 1111, [deadc0de, feedbeef]), twoHashes),
        (.getReceipts(requestId: 1111, [deadc0de, feedbeef]), twoHashes),
        (.getPooledTransactions(requestId: 1111, [deadc0de, feedbeef]), twoHashes),
        (.newBlockHashes([BlockHashAnnouncement(
            hash: try! Hash32(hex: "7100614faba6650b53fe0913ed7267bcc968eb362e3df908645a50aa526c72ba"),
            number: 10_567_341)]),
         "e6e5a07100614faba6650b53fe0913ed7267bcc968eb362e3df908645a50aa526c72ba83a13ead"),
    ]

    @Test func knownEncodings() throws {
        for (message, hex) in Self.knownBytes {
            let bytes = try Hex.decode(hex)
            #expect(message.encoded == bytes, "\(message.code)")
            #expect(try EthMessage.decode(code: message.code.rawValue, data: bytes) == message)
        }
    }

    /// An eth/67 mainnet Status (reth's `encode_eth_status_message`); eth/68 Status has the same layout.
    @Test func knownStatusEncoding() throws {
        let hex = "f85643018a07aac59dabcdd74bc567a0feb27336ca7923f8fab3bd617fcb6e75841538f71c1bcfc267d7838489d9e13d"
            + "a0d4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3c684b715077d80"
        let status = EthStatus(
            protocolVersion: 67, networkId: 1,
            totalDifficulty: try #require(UInt256(decimal: "36206751599115524359527")),
            bestHash: try Hash32(hex: "feb27336ca7923f8fab3bd617fcb6e75841538f71c1bcfc267d7838489d9e13d"),
            genesisHash: ForkIDTests.mainnetGenesis, forkID: ForkID(hash: 0xb715077d, next: 0))
        let message = EthMessage.status(status)
        #expect(message.encoded == (try Hex.decode(hex)))
        #expect(try EthMessage.decode(code: 0, data: try Hex.decode(hex)) == message)
    }

    @Test func pooledAnnouncementCarriesTypesAndSizes() throws {
        guard case .newPooledTransactionHashes(let a) = EthFixtures.everyMessage[9] else {
            Issue.record("fixture order changed")
            return
        }
        #expect(a.types == [0, 1, 2])
        #expect(a.sizes == EthFixtures.transactions.map { UInt32($0.encoded.count) })
    }

    @Test func statusHandshake() throws {
        let schedule = EthFixtures.schedule
        let local = EthStatus(networkId: 2024, totalDifficulty: UInt256(85), bestHash: .zero,
                              genesisHash: EthFixtures.hash(0), forkID: schedule.forkID(headNumber: 42))
        try local.validate(remote: local, schedule: schedule, headNumber: 42, headTime: 0)
        var other = local
        other.networkId = 1
        #expect(throws: EthError.networkMismatch(got: 1, expected: 2024)) {
            try local.validate(remote: other, schedule: schedule, headNumber: 42, headTime: 0)
        }
        other = local
        other.genesisHash = .zero
        #expect(throws: EthError.genesisMismatch(got: .zero, expected: EthFixtures.hash(0))) {
            try local.validate(remote: other, schedule: schedule, headNumber: 42, headTime: 0)
        }
        other = local
        other.protocolVersion = 67
        #expect(throws: EthError.protocolVersionMismatch(got: 67, expected: 68)) {
            try local.validate(remote: other, schedule: schedule, headNumber: 42, headTime: 0)
        }
        other = local
        other.totalDifficulty = UInt256(1) << 100
        #expect(throws: EthError.invalidField(message: "Status", "total difficulty of 101 bits exceeds 100 bits")) {
            try local.validate(remote: other, schedule: schedule, headNumber: 42, headTime: 0)
        }
        other = local
        other.forkID = ForkID(hash: 0x1234_5678, next: 0)
        do {
            try local.validate(remote: other, schedule: schedule, headNumber: 42, headTime: 0)
            Issue.record("a foreign fork id was accepted")
        } catch {
            guard case .incompatibleForkID = error else { throw error }
            #expect(error.disconnectReason == .subprotocolError)
            #expect(error.disconnectReason.code == 0x10)
        }
    }
}
