import SankofaChain
import SankofaCrypto
import SankofaPrimitives
import Testing
@testable import SankofaP2P

@Suite("sfl/1 messages")
struct LightMessageTests {
    static let hash = Keccak256.hash([7] as [UInt8])

    static func roundTrip(_ message: LightMessage) throws -> LightMessage {
        try LightMessage.decode(code: message.code, data: message.encoded)
    }

    @Test func everyMessageRoundTrips() throws {
        let key = try PrivateKey(bytes: Array(repeating: 0x11, count: 32))
        let tx = Transaction.Payload.dynamicFee(DynamicFeeTransaction(
            chainId: 1, nonce: 3, maxPriorityFeePerGas: .zero, maxFeePerGas: .zero, gasLimit: 21_000,
            to: Address(low: 9), value: .zero, data: [], accessList: [])).signed(with: key)
        let messages: [LightMessage] = [
            .eth(.getBlockHeaders(requestId: 1, HeaderQuery(origin: .number(5), amount: 3))),
            .eth(.getReceipts(requestId: 2, [Self.hash])),
            .eth(.newBlockHashes([BlockHashAnnouncement(hash: Self.hash, number: 12)])),
            .getProofs(requestId: 3, block: Self.hash, [ProofQuery(address: Address(low: 1), slots: [Self.hash, .zero]),
                                                        ProofQuery(address: Address(low: 2), slots: [])]),
            .proofs(requestId: 4, [ProofNodes(account: [[0xc0], [1, 2, 3]], slots: [[[4, 5]], []])]),
            .getTransactionLocations(requestId: 5, [Self.hash, .zero]),
            .transactionLocations(requestId: 6, [TransactionPosition(blockHash: Self.hash, index: 7), nil]),
            .sendTransaction(requestId: 7, tx),
            .transactionStatus(requestId: 8, error: ""),
            .transactionStatus(requestId: 9, error: "nonce too low"),
        ]
        for message in messages { #expect(try Self.roundTrip(message) == message) }
        // The shared messages keep eth/68's ids and bytes.
        let headers = EthMessage.getBlockHeaders(requestId: 1, HeaderQuery(origin: .hash(Self.hash), amount: 1))
        #expect(LightMessage.eth(headers).code == EthMessageCode.getBlockHeaders.rawValue)
        #expect(LightMessage.eth(headers).encoded == headers.encoded)
        #expect(LightMessage.getProofs(requestId: 1, block: .zero, []).responseId == nil)
        #expect(LightMessage.proofs(requestId: 42, []).responseId == 42)
    }

    @Test func refusesWhatItDoesNotCarryAndWhatIsOverLimit() throws {
        // eth/68 messages outside the light subset, and ids beyond sfl/1's.
        for code in [EthMessageCode.transactions.rawValue, EthMessageCode.newBlock.rawValue,
                     EthMessageCode.getPooledTransactions.rawValue, 0x17, 0x0b] {
            #expect(throws: EthError.unknownMessageCode(code)) { try LightMessage.decode(code: code, data: [0xc0]) }
        }
        let tooMany = LightMessage.getProofs(requestId: 1, block: .zero,
                                             Array(repeating: ProofQuery(address: Address(low: 1), slots: []),
                                                   count: LightMessage.maxProofQueries + 1))
        #expect(throws: EthError.tooManyItems(message: "GetProofs", limit: LightMessage.maxProofQueries)) {
            try Self.roundTrip(tooMany)
        }
        let deep = LightMessage.proofs(requestId: 1, [ProofNodes(account: Array(repeating: [1], count: LightMessage.maxProofDepth + 1),
                                                                 slots: [])])
        #expect(throws: EthError.tooManyItems(message: "Proofs path", limit: LightMessage.maxProofDepth)) { try Self.roundTrip(deep) }
        // Trailing bytes and truncation are malformed, never a trap.
        let good = LightMessage.getTransactionLocations(requestId: 1, [Self.hash])
        #expect(throws: EthError.self) { try LightMessage.decode(code: good.code, data: good.encoded + [0x80]) }
        #expect(throws: EthError.self) { try LightMessage.decode(code: good.code, data: Array(good.encoded.dropLast())) }
        let longReason = LightMessage.transactionStatus(requestId: 1, error: String(repeating: "x", count: LightMessage.maxStatusLength + 1))
        #expect(throws: EthError.self) { try Self.roundTrip(longReason) }
    }

    /// Found by the `light` fuzz target: a TransactionStatus whose reason is not UTF-8 decoded with replacement
    /// characters, so the message no longer said what the server sent. The input as the fuzzer saved it (code 0x16).
    @Test func transactionStatusReasonMustBeUTF8() throws {
        let data: [UInt8] = [0xc6, 0x1a, 0x84, 0x2e, 0xd6, 0x3c, 0x0d]
        #expect(throws: EthError.invalidField(message: "TransactionStatus", "reason is not UTF-8")) {
            try LightMessage.decode(code: LightMessageCode.transactionStatus.rawValue, data: data)
        }
        let valid = LightMessage.transactionStatus(requestId: 0x1a, error: "nonce too low: ✓")
        #expect(try LightMessage.decode(code: valid.code, data: valid.encoded) == valid)
    }
}
