import Foundation
import SankofaChain
import SankofaJSON
import SankofaPrimitives
import Testing
@testable import SankofaRPC

/// Blocks, transactions and receipts in geth's shapes.
@Suite("RPC eth blocks, transactions, receipts")
struct RPCEthBlocksTests {
    let rpc = RPCHarness()
    typealias E = RPCExpected

    var block0: Block { rpc.fake.block(0) }
    var block1: Block { rpc.fake.block(1) }
    var block2: Block { rpc.fake.block(2) }

    // MARK: Blocks

    @Test func genesisBlockJSON() async throws {
        let result = try await rpc.result("eth_getBlockByNumber", ["0x0", false])
        #expect(result == E.block(block0, full: false, fields: []))
        // Hand-written constants for the empty block.
        #expect(result["transactionsRoot"] == .string(E.emptyTrieRoot))
        #expect(result["receiptsRoot"] == .string(E.emptyTrieRoot))
        #expect(result["logsBloom"] == .string(E.emptyBloom))
        #expect(result["gasUsed"] == "0x0")
        #expect(result["parentHash"] == .string(E.zeroHash))
        #expect(result["transactions"] == [])
    }

    @Test func blockFieldsComeInGethOrder() async throws {
        let result = try #require(try await rpc.result("eth_getBlockByNumber", ["0x1", false]).objectValue)
        #expect(result.keys == [
            "baseFeePerGas", "difficulty", "extraData", "gasLimit", "gasUsed", "hash", "logsBloom", "miner", "mixHash", "nonce",
            "number", "parentHash", "receiptsRoot", "sha3Uncles", "size", "stateRoot", "timestamp", "transactions",
            "transactionsRoot", "uncles",
        ])
    }

    @Test func blockWithTransactionHashes() async throws {
        let result = try await rpc.result("eth_getBlockByNumber", ["0x1", false])
        #expect(result == E.block(block1, full: false, fields: [E.tx0, E.tx1]))
        #expect(result["transactions"] == [RPCJSON.hash(RPCFixture.tx0.hash), RPCJSON.hash(RPCFixture.tx1.hash)])
        #expect(result["hash"] == RPCJSON.hash(block1.hash))
        #expect(result["parentHash"] == RPCJSON.hash(block0.hash))
        // The hash is keccak256 of the header's RLP.
        #expect(block1.hash == Keccak256.hash(block1.header.rlpEncoded))
    }

    @Test func blockWithFullTransactions() async throws {
        let result = try await rpc.result("eth_getBlockByNumber", ["0x1", true])
        #expect(result == E.block(block1, full: true, fields: [E.tx0, E.tx1]))
        let first = try #require(result["transactions"]?[0])
        #expect(first["from"] == E.sender)
        #expect(first["blockHash"] == RPCJSON.hash(block1.hash))
        #expect(first["transactionIndex"] == "0x0")
        #expect(result["transactions"]?[1]?["transactionIndex"] == "0x1")
    }

    @Test func fullFlagDefaultsToFalse() async throws {
        #expect(try await rpc.result("eth_getBlockByNumber", ["0x1"]) == E.block(block1, full: false, fields: [E.tx0, E.tx1]))
        #expect(try await rpc.result("eth_getBlockByHash", [RPCJSON.hash(block1.hash)]) ==
            E.block(block1, full: false, fields: [E.tx0, E.tx1]))
    }

    @Test(arguments: ["latest", "pending", "safe", "finalized"])
    func headTags(_ tag: String) async throws {
        #expect(try await rpc.result("eth_getBlockByNumber", [.string(tag), false])["hash"] == RPCJSON.hash(block2.hash))
    }

    @Test func otherBlockSelectors() async throws {
        #expect(try await rpc.result("eth_getBlockByNumber", ["earliest", false])["number"] == "0x0")
        #expect(try await rpc.result("eth_getBlockByNumber", [["blockNumber": "0x1"], false])["hash"] == RPCJSON.hash(block1.hash))
        #expect(try await rpc.result("eth_getBlockByNumber", [["blockHash": RPCJSON.hash(block2.hash)], false])["number"] == "0x2")
        // A JSON integer is accepted as a block number.
        #expect(try await rpc.result("eth_getBlockByNumber", [1, false])["number"] == "0x1")
    }

    @Test func unknownBlocksAreNull() async throws {
        #expect(try await rpc.result("eth_getBlockByNumber", ["0x3", false]) == .null)
        #expect(try await rpc.result("eth_getBlockByNumber", ["0xffffffffffffffff", true]) == .null)
        #expect(try await rpc.result("eth_getBlockByHash", [.string(E.zeroHash), false]) == .null)
        #expect(try await rpc.result("eth_getBlockTransactionCountByNumber", ["0x3"]) == .null)
        #expect(try await rpc.result("eth_getBlockTransactionCountByHash", [.string(E.zeroHash)]) == .null)
        #expect(try await rpc.result("eth_getBlockReceipts", ["0x3"]) == .null)
    }

    @Test func badBlockNumbers() async throws {
        #expect(try await rpc.error("eth_getBlockByNumber", ["0x", false]) ==
            RPCError.invalidParams("argument 0: 0x is not a hex quantity"))
        #expect(try await rpc.error("eth_getBlockByNumber", ["1", false]) ==
            RPCError.invalidParams("argument 0: 1 is not a hex quantity"))
        #expect(try await rpc.error("eth_getBlockByNumber", ["0x10000000000000000", false]) ==
            RPCError.invalidParams("argument 0: block number too large"))
        #expect(try await rpc.error("eth_getBlockByNumber", [-1, false]) ==
            RPCError.invalidParams("argument 0 must be a hex quantity string"))
        #expect(try await rpc.error("eth_getBlockByNumber", [["blockHash": "0x12"], false]) ==
            RPCError.invalidParams("argument 0: block object needs blockHash or blockNumber"))
    }

    @Test func transactionCounts() async throws {
        #expect(try await rpc.result("eth_getBlockTransactionCountByNumber", ["0x0"]) == "0x0")
        #expect(try await rpc.result("eth_getBlockTransactionCountByNumber", ["0x1"]) == "0x2")
        #expect(try await rpc.result("eth_getBlockTransactionCountByNumber", ["latest"]) == "0x1")
        #expect(try await rpc.result("eth_getBlockTransactionCountByHash", [RPCJSON.hash(block1.hash)]) == "0x2")
        #expect(try await rpc.result("eth_getUncleCountByBlockNumber", ["latest"]) == "0x0")
        #expect(try await rpc.result("eth_getUncleCountByBlockHash", [RPCJSON.hash(block1.hash)]) == "0x0")
    }

    // MARK: Transactions

    @Test func transactionByHash() async throws {
        #expect(try await rpc.result("eth_getTransactionByHash", [RPCJSON.hash(RPCFixture.tx0.hash)]) ==
            E.transaction(E.tx0, block: block1, index: 0))
        #expect(try await rpc.result("eth_getTransactionByHash", [RPCJSON.hash(RPCFixture.tx2.hash)]) ==
            E.transaction(E.tx2, block: block2, index: 0))
        #expect(try await rpc.result("eth_getTransactionByHash", [.string(E.zeroHash)]) == .null)
    }

    @Test func transactionFieldsComeInGethOrder() async throws {
        let tx = try #require(try await rpc.result("eth_getTransactionByHash", [RPCJSON.hash(RPCFixture.tx1.hash)]).objectValue)
        #expect(tx.keys == [
            "blockHash", "blockNumber", "from", "gas", "gasPrice", "maxFeePerGas", "maxPriorityFeePerGas", "hash", "input",
            "nonce", "to", "transactionIndex", "value", "type", "accessList", "chainId", "v", "r", "s", "yParity",
        ])
        // Mined EIP-1559 price: base fee 7 + min(tip 5, cap 8 − 7) = 8.
        #expect(tx["gasPrice"] == "0x8")
    }

    @Test func pendingTransactionByHash() async throws {
        let tx3 = RPCMethodCases.tx3
        #expect(try await rpc.result("eth_sendRawTransaction", [RPCJSON.hex(tx3.encoded)]) == RPCJSON.hash(tx3.hash))
        let fields = E.TxFields(tx: tx3, gas: "0x5208", minedGasPrice: "-", maxFee: "0xa", tip: "0x1", input: "0x",
                                nonce: "0x3", to: E.recipient, value: "0x5", accessList: [])
        let result = try await rpc.result("eth_getTransactionByHash", [RPCJSON.hash(tx3.hash)])
        #expect(result == E.transaction(fields, block: nil, index: nil))
        // Pending: no position, and the fee cap as the price.
        #expect(result["blockNumber"] == .null)
        #expect(result["transactionIndex"] == .null)
        #expect(result["gasPrice"] == "0xa")
    }

    @Test func legacyAndAccessListTransactionShapes() async throws {
        let legacy = Transaction.Payload.legacy(LegacyTransaction(
            nonce: 3, gasPrice: 5, gasLimit: 21_000, to: RPCFixture.recipient, value: 1, data: [], chainId: RPCFixture.chainId))
            .signed(with: RPCFixture.key)
        let typed1 = Transaction.Payload.accessList(AccessListTransaction(
            chainId: RPCFixture.chainId, nonce: 4, gasPrice: 6, gasLimit: 30_000, to: RPCFixture.contract, value: 0, data: [0xab],
            accessList: [AccessListEntry(address: RPCFixture.contract, storageKeys: [])]))
            .signed(with: RPCFixture.key)
        _ = try await rpc.result("eth_sendRawTransaction", [RPCJSON.hex(legacy.encoded)])
        _ = try await rpc.result("eth_sendRawTransaction", [RPCJSON.hex(typed1.encoded)])
        // EIP-155 v = 2 × 2024 + 35 + parity.
        let legacyV = JSON.string("0x" + String(4_083 + UInt64(legacy.signature.recoveryId), radix: 16))
        #expect(try await rpc.result("eth_getTransactionByHash", [RPCJSON.hash(legacy.hash)]) == [
            "blockHash": .null, "blockNumber": .null, "from": E.sender, "gas": "0x5208", "gasPrice": "0x5",
            "hash": RPCJSON.hash(legacy.hash), "input": "0x", "nonce": "0x3", "to": .string(E.recipient),
            "transactionIndex": .null, "value": "0x1", "type": "0x0", "chainId": "0x7e8", "v": legacyV,
            "r": .string(legacy.signature.r.hexString), "s": .string(legacy.signature.s.hexString),
        ])
        let parity = JSON.string(typed1.signature.recoveryId == 0 ? "0x0" : "0x1")
        #expect(try await rpc.result("eth_getTransactionByHash", [RPCJSON.hash(typed1.hash)]) == [
            "blockHash": .null, "blockNumber": .null, "from": E.sender, "gas": "0x7530", "gasPrice": "0x6",
            "hash": RPCJSON.hash(typed1.hash), "input": "0xab", "nonce": "0x4", "to": .string(E.contract),
            "transactionIndex": .null, "value": "0x0", "type": "0x1",
            "accessList": [["address": .string(E.contract), "storageKeys": []]], "chainId": "0x7e8", "v": parity,
            "r": .string(typed1.signature.r.hexString), "s": .string(typed1.signature.s.hexString), "yParity": parity,
        ])
    }

    @Test func transactionByPosition() async throws {
        #expect(try await rpc.result("eth_getTransactionByBlockNumberAndIndex", ["0x1", "0x1"]) ==
            E.transaction(E.tx1, block: block1, index: 1))
        #expect(try await rpc.result("eth_getTransactionByBlockHashAndIndex", [RPCJSON.hash(block1.hash), "0x1"]) ==
            E.transaction(E.tx1, block: block1, index: 1))
        #expect(try await rpc.result("eth_getTransactionByBlockNumberAndIndex", ["latest", "0x0"]) ==
            E.transaction(E.tx2, block: block2, index: 0))
        #expect(try await rpc.result("eth_getTransactionByBlockNumberAndIndex", ["0x1", "0x2"]) == .null)
        #expect(try await rpc.result("eth_getTransactionByBlockNumberAndIndex", ["0x1", "0xffffffffffffffffffffffff"]) == .null)
        #expect(try await rpc.result("eth_getTransactionByBlockNumberAndIndex", ["0x9", "0x0"]) == .null)
        #expect(try await rpc.result("eth_getTransactionByBlockHashAndIndex", [.string(E.zeroHash), "0x0"]) == .null)
    }

    // MARK: Receipts

    @Test func receipts() async throws {
        #expect(try await rpc.result("eth_getTransactionReceipt", [RPCJSON.hash(RPCFixture.tx0.hash)]) == E.receipt(block: block1, index: 0))
        #expect(try await rpc.result("eth_getTransactionReceipt", [RPCJSON.hash(RPCFixture.tx1.hash)]) == E.receipt(block: block1, index: 1))
        #expect(try await rpc.result("eth_getTransactionReceipt", [RPCJSON.hash(RPCFixture.tx2.hash)]) == E.receipt(block: block2, index: 0))
        #expect(try await rpc.result("eth_getTransactionReceipt", [.string(E.zeroHash)]) == .null)
    }

    @Test func receiptGasStatusAndLogIndexes() async throws {
        let second = try await rpc.result("eth_getTransactionReceipt", [RPCJSON.hash(RPCFixture.tx1.hash)])
        #expect(second["status"] == "0x1")
        #expect(second["cumulativeGasUsed"] == "0xc738")   // 51 000
        #expect(second["gasUsed"] == "0x5208")             // 51 000 − 30 000
        #expect(second["effectiveGasPrice"] == "0x8")
        #expect(second["contractAddress"] == .null)
        // The second transaction's only log is the block's third.
        #expect(second["logs"]?[0]?["logIndex"] == "0x2")
        #expect(second["logs"]?[0]?["transactionIndex"] == "0x1")
        let failed = try await rpc.result("eth_getTransactionReceipt", [RPCJSON.hash(RPCFixture.tx2.hash)])
        #expect(failed["status"] == "0x0")
        #expect(failed["logs"] == [])
        #expect(failed["logsBloom"] == .string(E.emptyBloom))
    }

    @Test func receiptFieldsComeInGethOrder() async throws {
        let receipt = try #require(try await rpc.result("eth_getTransactionReceipt", [RPCJSON.hash(RPCFixture.tx0.hash)]).objectValue)
        #expect(receipt.keys == [
            "blockHash", "blockNumber", "contractAddress", "cumulativeGasUsed", "effectiveGasPrice", "from", "gasUsed", "logs",
            "logsBloom", "status", "to", "transactionHash", "transactionIndex", "type",
        ])
        #expect(receipt["logs"]?[0]?.objectValue?.keys == [
            "address", "topics", "data", "blockNumber", "transactionHash", "transactionIndex", "blockHash", "logIndex", "removed",
        ])
    }

    @Test func blockReceipts() async throws {
        #expect(try await rpc.result("eth_getBlockReceipts", ["0x1"]) ==
            [E.receipt(block: block1, index: 0), E.receipt(block: block1, index: 1)])
        #expect(try await rpc.result("eth_getBlockReceipts", [["blockHash": RPCJSON.hash(block1.hash)]]) ==
            [E.receipt(block: block1, index: 0), E.receipt(block: block1, index: 1)])
        #expect(try await rpc.result("eth_getBlockReceipts", ["latest"]) == [E.receipt(block: block2, index: 0)])
        #expect(try await rpc.result("eth_getBlockReceipts", ["earliest"]) == [])
    }

    // MARK: Encodings

    /// Every quantity is minimal hex and every data/hash field is even-length hex, everywhere in a full block.
    @Test func quantitiesAreMinimalAndDataIsEvenLength() async throws {
        let quantityKeys: Set = ["baseFeePerGas", "difficulty", "gasLimit", "gasUsed", "number", "size", "timestamp",
                                 "blockNumber", "gas", "gasPrice", "maxFeePerGas", "maxPriorityFeePerGas", "nonce",
                                 "transactionIndex", "value", "type", "chainId", "v", "r", "s", "yParity",
                                 "cumulativeGasUsed", "effectiveGasPrice", "status", "logIndex"]
        var checked = 0
        func walk(_ value: JSON, key: String?, inBlock: Bool) {
            switch value {
            case .object(let object):
                for (k, v) in object { walk(v, key: k, inBlock: inBlock) }
            case .array(let items):
                for item in items { walk(item, key: key, inBlock: inBlock) }
            case .string(let text):
                guard let key else { return }
                // A block's nonce is 8 bytes of data; a transaction's nonce is a quantity.
                if quantityKeys.contains(key) && !(key == "nonce" && inBlock && text.count == 18) {
                    #expect(text.wholeMatch(of: /0x(0|[1-9a-f][0-9a-f]*)/) != nil, "\(key): \(text) is not a minimal quantity")
                } else {
                    #expect(text.wholeMatch(of: /0x([0-9a-f]{2})*/) != nil, "\(key): \(text) is not even-length hex data")
                }
                checked += 1
            default: break
            }
        }
        walk(try await rpc.result("eth_getBlockByNumber", ["0x1", true]), key: nil, inBlock: true)
        walk(try await rpc.result("eth_getBlockReceipts", ["0x1"]), key: nil, inBlock: false)
        #expect(checked > 80)
        #expect(try await rpc.result("eth_blockNumber") == "0x2")
        #expect(try await rpc.result("eth_maxPriorityFeePerGas") == "0x0")
    }

    // MARK: Fee history

    @Test func feeHistory() async throws {
        #expect(try await rpc.result("eth_feeHistory", ["0x2", "latest"]) ==
            RPCJSON.parse(#"{"oldestBlock":"0x1","baseFeePerGas":["0x7","0x7","0x7"],"gasUsedRatio":[0.0017,0.0007]}"#))
        // More blocks than exist: clamped to the chain.
        #expect(try await rpc.result("eth_feeHistory", ["0x10", "0x1", [50]]) ==
            RPCJSON.parse(#"{"oldestBlock":"0x0","baseFeePerGas":["0x7","0x7","0x7"],"gasUsedRatio":[0.0,0.0017],"reward":[["0x0"],["0x0"]]}"#))
        // A JSON integer count is accepted.
        #expect(try await rpc.result("eth_feeHistory", [1, "0x2"])["oldestBlock"] == "0x2")
        #expect(try await rpc.result("eth_feeHistory", ["0x1", "0x9"]) == .null)
        #expect(try await rpc.error("eth_feeHistory", []) == RPCError.invalidParams("missing value for required argument 0 (quantity)"))
    }
}
