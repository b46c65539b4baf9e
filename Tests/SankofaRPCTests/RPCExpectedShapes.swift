import SankofaChain
import SankofaJSON
import SankofaPrimitives
@testable import SankofaRPC

/// The JSON geth returns for the fixture's blocks, transactions, receipts and logs, spelled out field by field (in
/// geth's order) with the fixture's numbers written by hand, independently of `RPCShapes`.
enum RPCExpected {
    static let zeroHash = "0x" + String(repeating: "0", count: 64)
    static let zeroAddress = "0x" + String(repeating: "0", count: 40)
    static let emptyOmmersHash = "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347"
    static let emptyTrieRoot = "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421"
    static let emptyBloom = "0x" + String(repeating: "0", count: 512)
    static let contract = "0x0000000000000000000000000000000000001001"
    static let contract2 = "0x0000000000000000000000000000000000001002"
    static let recipient = "0x000000000000000000000000000000000000beef"
    static var sender: JSON { .string(RPCFixture.sender.hex) }

    // MARK: Transactions

    /// Per fixture transaction: the hand-written fields (`gasPrice` is the price paid when mined at base fee 7).
    struct TxFields {
        let tx: Transaction
        let gas: String
        let minedGasPrice: String
        let maxFee: String
        let tip: String
        let input: String
        let nonce: String
        let to: String
        let value: String
        let accessList: JSON
    }

    static let tx0 = TxFields(tx: RPCFixture.tx0, gas: "0x186a0", minedGasPrice: "0x9", maxFee: "0xa", tip: "0x2",
                              input: "0xaabbccdd002a", nonce: "0x0", to: contract, value: "0x0", accessList: [])
    static let tx1 = TxFields(tx: RPCFixture.tx1, gas: "0xc350", minedGasPrice: "0x8", maxFee: "0x8", tip: "0x5",
                              input: "0x01", nonce: "0x1", to: contract2, value: "0x0",
                              accessList: [["address": .string(contract2),
                                            "storageKeys": ["0x0000000000000000000000000000000000000000000000000000000000000001"]]])
    static let tx2 = TxFields(tx: RPCFixture.tx2, gas: "0x5208", minedGasPrice: "0x7", maxFee: "0x7", tip: "0x0",
                              input: "0x", nonce: "0x2", to: recipient, value: "0x3e8", accessList: [])

    /// A transaction as eth_getTransactionBy* returns it; pending when `block` is nil.
    static func transaction(_ f: TxFields, block: Block?, index: Int?) -> JSON {
        let parity = JSON.string(f.tx.signature.recoveryId == 0 ? "0x0" : "0x1")
        return [
            "blockHash": block.map { .string($0.hash.hex) } ?? .null,
            "blockNumber": block.map { .string("0x" + String($0.number, radix: 16)) } ?? .null,
            "from": sender,
            "gas": .string(f.gas),
            "gasPrice": .string(block == nil ? f.maxFee : f.minedGasPrice),
            "maxFeePerGas": .string(f.maxFee),
            "maxPriorityFeePerGas": .string(f.tip),
            "hash": .string(f.tx.hash.hex),
            "input": .string(f.input),
            "nonce": .string(f.nonce),
            "to": .string(f.to),
            "transactionIndex": index.map { .string("0x" + String($0, radix: 16)) } ?? .null,
            "value": .string(f.value),
            "type": "0x2",
            "accessList": f.accessList,
            "chainId": "0x7e8",
            "v": parity,
            "r": .string(f.tx.signature.r.hexString),
            "s": .string(f.tx.signature.s.hexString),
            "yParity": parity,
        ]
    }

    // MARK: Blocks

    /// eth_getBlockBy*: hashes only, or full transactions.
    static func block(_ block: Block, full: Bool, fields: [TxFields]) -> JSON {
        let header = block.header
        let timestamps = ["0x6553f100", "0x6553f105", "0x6553f10a"]
        let gasUsed = ["0x0", "0xc738", "0x5208"]
        let transactions: [JSON] = full
            ? fields.enumerated().map { transaction($1, block: block, index: $0) }
            : fields.map { .string($0.tx.hash.hex) }
        return [
            "baseFeePerGas": "0x7",
            "difficulty": "0x2",
            "extraData": .string("0x" + String(repeating: "00", count: 31) + "5a"),
            "gasLimit": "0x1c9c380",
            "gasUsed": .string(block.number < 3 ? gasUsed[Int(block.number)] : "0x0"),
            "hash": .string(block.hash.hex),
            "logsBloom": .string(Hex.encode(header.logsBloom.bytes)),
            "miner": .string(zeroAddress),
            "mixHash": .string(zeroHash),
            "nonce": "0x0000000000000000",
            "number": .string("0x" + String(block.number, radix: 16)),
            "parentHash": .string(header.parentHash.hex),
            "receiptsRoot": .string(header.receiptsRoot.hex),
            "sha3Uncles": .string(emptyOmmersHash),
            "size": .string("0x" + String(block.rlpEncoded.count, radix: 16)),
            "stateRoot": .string(header.stateRoot.hex),
            "timestamp": .string(block.number < 3 ? timestamps[Int(block.number)]
                                              : "0x" + String(1_700_000_000 + 5 * block.number, radix: 16)),
            "transactions": .array(transactions),
            "transactionsRoot": .string(header.transactionsRoot.hex),
            "uncles": [],
        ]
    }

    // MARK: Logs and receipts

    static func log(_ log: Log, address: String, data: String, block: Block, tx: Transaction, txIndex: Int, logIndex: Int,
                    removed: Bool = false) -> JSON {
        [
            "address": .string(address),
            "topics": .array(log.topics.map { .string($0.hex) }),
            "data": .string(data),
            "blockNumber": .string("0x" + String(block.number, radix: 16)),
            "transactionHash": .string(tx.hash.hex),
            "transactionIndex": .string("0x" + String(txIndex, radix: 16)),
            "blockHash": .string(block.hash.hex),
            "logIndex": .string("0x" + String(logIndex, radix: 16)),
            "removed": .bool(removed),
        ]
    }

    /// The three logs of block 1, with block-wide log indexes 0, 1, 2.
    static func block1Logs(_ block1: Block, removed: Bool = false) -> [JSON] {
        [
            log(RPCFixture.log0, address: contract, data: "0x01", block: block1, tx: RPCFixture.tx0, txIndex: 0, logIndex: 0, removed: removed),
            log(RPCFixture.log1, address: contract, data: "0x", block: block1, tx: RPCFixture.tx0, txIndex: 0, logIndex: 1, removed: removed),
            log(RPCFixture.log2, address: contract2, data: "0xff00", block: block1, tx: RPCFixture.tx1, txIndex: 1, logIndex: 2, removed: removed),
        ]
    }

    static func receipt(block: Block, index: Int) -> JSON {
        let logs = block1Logs(block)
        let rows: [(TxFields, cumulative: String, gasUsed: String, logs: [JSON], bloom: Bloom, status: String)] = block.number == 1
            ? [(tx0, "0x7530", "0x7530", Array(logs[0...1]), RPCFixture.receipt0.logsBloom, "0x1"),
               (tx1, "0xc738", "0x5208", [logs[2]], RPCFixture.receipt1.logsBloom, "0x1")]
            : [(tx2, "0x5208", "0x5208", [], Bloom(), "0x0")]
        let row = rows[index]
        return [
            "blockHash": .string(block.hash.hex),
            "blockNumber": .string("0x" + String(block.number, radix: 16)),
            "contractAddress": .null,
            "cumulativeGasUsed": .string(row.cumulative),
            "effectiveGasPrice": .string(row.0.minedGasPrice),
            "from": sender,
            "gasUsed": .string(row.gasUsed),
            "logs": .array(row.logs),
            "logsBloom": .string(Hex.encode(row.bloom.bytes)),
            "status": .string(row.status),
            "to": .string(row.0.to),
            "transactionHash": .string(row.0.tx.hash.hex),
            "transactionIndex": .string("0x" + String(index, radix: 16)),
            "type": "0x2",
        ]
    }

    // MARK: Calls

    /// `ABI.encodeRevert("not authorized")`, written out: Error(string) selector, offset, length, padded text.
    static let revertData = "0x08c379a0"
        + "0000000000000000000000000000000000000000000000000000000000000020"
        + "000000000000000000000000000000000000000000000000000000000000000e"
        + "6e6f7420617574686f72697a6564000000000000000000000000000000000000"
    static let word42 = "0x000000000000000000000000000000000000000000000000000000000000002a"
}
