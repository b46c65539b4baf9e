import SankofaChain
import SankofaCrypto
import SankofaPrimitives
import SankofaStorage
import SankofaTrie
import Testing
@testable import SankofaState

@Suite("Chain store")
struct ChainStoreTests {
    static let key = try! PrivateKey(hex: "0x4646464646464646464646464646464646464646464646464646464646464646")

    static func block(number: UInt64, parent: Hash32, transactions: Int, variant: UInt8 = 0) -> (Block, [Receipt]) {
        let txs = (0..<transactions).map { i in
            Transaction.Payload.dynamicFee(DynamicFeeTransaction(
                chainId: 1337, nonce: number * 100 + UInt64(i), maxPriorityFeePerGas: .zero, maxFeePerGas: .zero,
                gasLimit: 50_000, to: Address(low: 0x1001), value: .zero, data: [1, 2, variant], accessList: []))
                .signed(with: key)
        }
        let receipts = txs.enumerated().map { i, tx in
            Receipt(type: tx.type, succeeded: i % 2 == 0, cumulativeGasUsed: UInt64(i + 1) * 21_048,
                    logs: [Log(address: Address(low: 0x1001), topics: [Keccak256.hash([UInt8(i)])], data: [UInt8(i)])])
        }
        let header = BlockHeader(parentHash: parent, coinbase: .zero, stateRoot: MerklePatriciaTrie.emptyRoot,
                                 difficulty: UInt256(2), number: number, gasLimit: 30_000_000,
                                 gasUsed: UInt64(transactions) * 21_048, timestamp: 1_700_000_000 + number,
                                 extraData: [UInt8](repeating: 0, count: 97))
        return (Block(header: header, transactions: txs, ommers: []), receipts)
    }

    @Test func blockReceiptsIndexesAndHeadCommitTogether() throws {
        let chain = try ChainStore(store: MemoryStore())
        #expect(try chain.headHash() == nil)
        var parent = Hash32.zero
        var blocks: [Block] = []
        for number in 0..<4 as Range<UInt64> {
            let (block, receipts) = Self.block(number: number, parent: parent, transactions: Int(number) * 2)
            try chain.commit(block, receipts: receipts, state: nil, makeHead: true, finalized: number == 2)
            parent = block.hash
            blocks.append(block)
            #expect(try chain.receipts(block.hash) == receipts)
        }
        #expect(try chain.headHash() == blocks[3].hash)
        #expect(try chain.finalizedHash() == blocks[2].hash)
        for block in blocks {
            #expect(try chain.block(block.hash) == block)
            #expect(try chain.canonicalHash(block.number) == block.hash)
            for (index, tx) in block.transactions.enumerated() {
                #expect(try chain.transactionLocation(tx.hash)
                    == TransactionLocation(blockHash: block.hash, blockNumber: block.number, index: index))
            }
        }
        // A side block is stored but not indexed as canonical.
        let (side, sideReceipts) = Self.block(number: 3, parent: blocks[2].hash, transactions: 1, variant: 9)
        try chain.commit(side, receipts: sideReceipts, state: nil, makeHead: false)
        #expect(try chain.block(side.hash) == side)
        #expect(try chain.canonicalHash(3) == blocks[3].hash)
        #expect(try chain.transactionLocation(side.transactions[0].hash) == nil)
    }

    @Test func corruptRecordsAreReportedNotTrapped() throws {
        let store = MemoryStore()
        let chain = try ChainStore(store: store)
        let hash = Keccak256.hash([1] as [UInt8])
        try store.put(.headers, Schema.blockKey(hash), [0xc3, 0x01])
        #expect(throws: ChainStoreError.self) { _ = try chain.header(hash) }
        try store.put(.receipts, Schema.blockKey(hash), [0xff])
        #expect(throws: ChainStoreError.self) { _ = try chain.receipts(hash) }
    }

    @Test func unknownSchemaVersionIsRefused() throws {
        let store = MemoryStore()
        try store.put(.metadata, Schema.schemaVersionKey, Schema.bigEndian(99))
        #expect(throws: ChainStoreError.unsupportedSchema(found: 99, supported: Schema.schemaVersion)) {
            _ = try ChainStore(store: store)
        }
    }
}
