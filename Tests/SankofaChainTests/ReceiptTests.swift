import SankofaPrimitives
import Testing
@testable import SankofaChain

@Suite("Receipts and logs")
struct ReceiptTests {
    @Test func roundTripAndBloom() throws {
        let log = Log(address: Address(low: 0x1001), topics: [Keccak256.hash(Array("RoleGranted(bytes32,address,address)".utf8))],
                      data: [UInt8](repeating: 0xab, count: 64))
        for type in TransactionType.allCases {
            for succeeded in [true, false] {
                let receipt = Receipt(type: type, succeeded: succeeded, cumulativeGasUsed: 123_456, logs: [log, log])
                let encoded = receipt.encoded
                #expect(try Receipt(encoded: encoded) == receipt)
                #expect((encoded.first ?? 0) >= 0xc0 ? type == .legacy : encoded.first == type.rawValue)
                #expect(receipt.logsBloom.mayContain(log.address.bytes))
                #expect(receipt.logsBloom.mayContain(log.topics[0].bytes))
            }
        }
        let empty = Receipt(type: .legacy, succeeded: true, cumulativeGasUsed: 0, logs: [])
        #expect(empty.logsBloom == Bloom())
        #expect(throws: RLPError.self) { _ = try Receipt(encoded: [0x03, 0xc0]) }
        #expect(throws: RLPError.self) { _ = try Receipt(encoded: []) }
        // Status must be 0 or 1 (EIP-658), not a pre-Byzantium state root.
        var bad = RLPWriter()
        bad.writeList { w in w.write(Hash32.zero); w.write(0 as UInt64); w.write(bytes: Bloom().bytes); w.writeEmptyList() }
        #expect(throws: RLPError.self) { _ = try Receipt(encoded: bad.bytes) }
    }

    /// Stored receipts leave the bloom out and derive it again; receipts stored in the consensus form (databases
    /// written before) read the same.
    @Test func storageFormDropsTheBloomAndReadsBothForms() throws {
        let log = Log(address: Address(low: 0x1001), topics: [Keccak256.hash([1]), Keccak256.hash([2])], data: [7, 7])
        var blooms = LogBloomCache()
        for type in TransactionType.allCases {
            for logs in [[], [log], [log, log]] {
                let receipt = Receipt(type: type, succeeded: logs.count != 1, cumulativeGasUsed: 21_000, logs: logs)
                #expect(receipt.encoded.count - receipt.storageEncoded.count >= 259)   // the bloom and its header
                #expect(try Receipt(stored: receipt.storageEncoded, blooms: &blooms) == receipt)
                #expect(try Receipt(stored: receipt.encoded, blooms: &blooms) == receipt)
                #expect(throws: RLPError.self) { _ = try Receipt(encoded: receipt.storageEncoded) }
            }
        }
        // A list where the bloom or the logs should be is refused, as is a bloom of the wrong size.
        var short = RLPWriter()
        short.writeList { w in w.write(true); w.write(1 as UInt64); w.write(bytes: [0, 0]); w.writeEmptyList() }
        #expect(throws: RLPError.self) { _ = try Receipt(stored: short.bytes, blooms: &blooms) }
    }

    /// A block's cache hands out remembered bits for repeated addresses and topics: every receipt's bloom must be
    /// the one a receipt on its own derives afresh.
    @Test func blockBloomCacheGivesTheFreshBlooms() {
        let addresses = (0..<3).map { Address(low: 0x1000 + UInt32($0)) }
        let topics = (0..<5).map { Keccak256.hash([UInt8($0)]) }
        var cache = LogBloomCache()
        var distinct = Set<Bloom>()
        for i in 0..<60 {
            let logs = (0..<(i % 4)).map { j in
                Log(address: addresses[(i + j) % 3], topics: Array(topics.shuffled().prefix((i + j) % 5)), data: [])
            }
            let cached = Receipt(type: .dynamicFee, succeeded: true, cumulativeGasUsed: UInt64(i), logs: logs, blooms: &cache)
            #expect(cached == Receipt(type: .dynamicFee, succeeded: true, cumulativeGasUsed: UInt64(i), logs: logs))
            for log in logs {
                #expect(cached.logsBloom.mayContain(log.address.bytes))
                for topic in log.topics { #expect(cached.logsBloom.mayContain(topic.bytes)) }
            }
            distinct.insert(cached.logsBloom)
        }
        #expect(distinct.count > 10)
    }
}
