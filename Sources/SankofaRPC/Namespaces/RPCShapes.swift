import SankofaChain
import SankofaJSON
import SankofaPrimitives

/// The JSON shapes geth returns for blocks, transactions, receipts and logs, field for field, so client libraries
/// parse them unchanged.
public enum RPCShapes {
    /// A transaction, with its block position when mined (nulls while pending).
    public static func transaction(_ tx: Transaction, sender: Address, block: BlockHeader?, index: Int?) -> JSON {
        var fields: [(String, JSON)] = [
            ("blockHash", block.map { .hash($0.hash) } ?? .null),
            ("blockNumber", block.map { .quantity($0.number) } ?? .null),
            ("from", .address(sender)),
            ("gas", .quantity(tx.gasLimit)),
        ]
        if let gasPrice = tx.gasPrice {
            fields.append(("gasPrice", .quantity(gasPrice)))
        } else {
            // A mined EIP-1559 transaction reports the price it paid; a pending one its fee cap.
            let baseFee = block?.baseFeePerGas ?? .zero
            let paid = block == nil ? tx.maxFeePerGas : baseFee + min(tx.maxPriorityFeePerGas, tx.maxFeePerGas - min(baseFee, tx.maxFeePerGas))
            fields.append(("gasPrice", .quantity(paid)))
            fields.append(("maxFeePerGas", .quantity(tx.maxFeePerGas)))
            fields.append(("maxPriorityFeePerGas", .quantity(tx.maxPriorityFeePerGas)))
        }
        fields += [
            ("hash", .hash(tx.hash)),
            ("input", .data(tx.data)),
            ("nonce", .quantity(tx.nonce)),
            ("to", .address(tx.to)),
            ("transactionIndex", index.map { .quantity($0) } ?? .null),
            ("value", .quantity(tx.value)),
            ("type", .quantity(UInt64(tx.type.rawValue))),
        ]
        if tx.type != .legacy {
            fields.append(("accessList", .array(tx.accessList.map { entry in
                .object(JSONObject([("address", .address(entry.address)), ("storageKeys", .array(entry.storageKeys.map { .hash($0) }))]))
            })))
        }
        if let chainId = tx.chainId { fields.append(("chainId", .quantity(chainId))) }
        fields += [("v", .quantity(tx.v)), ("r", .quantity(tx.signature.r)), ("s", .quantity(tx.signature.s))]
        if tx.type != .legacy { fields.append(("yParity", .quantity(UInt64(tx.signature.recoveryId)))) }
        return .object(JSONObject(fields))
    }

    /// A block with transaction hashes, or full transactions when `full` (senders supplied by the caller).
    public static func block(_ block: Block, senders: [Address]?, totalDifficulty: UInt256?) -> JSON {
        let header = block.header
        let transactions: [JSON]
        if let senders {
            transactions = zip(block.transactions, senders).enumerated().map { index, pair in
                transaction(pair.0, sender: pair.1, block: header, index: index)
            }
        } else {
            transactions = block.transactions.map { .hash($0.hash) }
        }
        var fields: [(String, JSON)] = []
        if let baseFee = header.baseFeePerGas { fields.append(("baseFeePerGas", .quantity(baseFee))) }
        fields += [
            ("difficulty", .quantity(header.difficulty)),
            ("extraData", .data(header.extraData)),
            ("gasLimit", .quantity(header.gasLimit)),
            ("gasUsed", .quantity(header.gasUsed)),
            ("hash", .hash(block.hash)),
            ("logsBloom", .data(header.logsBloom.bytes)),
            ("miner", .address(header.coinbase)),
            ("mixHash", .hash(header.mixHash)),
            ("nonce", .data(withUnsafeBytes(of: header.nonce.bigEndian) { Array($0) })),
            ("number", .quantity(header.number)),
            ("parentHash", .hash(header.parentHash)),
            ("receiptsRoot", .hash(header.receiptsRoot)),
            ("sha3Uncles", .hash(header.ommersHash)),
            ("size", .quantity(UInt64(block.rlpEncoded.count))),
            ("stateRoot", .hash(header.stateRoot)),
            ("timestamp", .quantity(header.timestamp)),
        ]
        if let totalDifficulty { fields.append(("totalDifficulty", .quantity(totalDifficulty))) }
        fields += [
            ("transactions", .array(transactions)),
            ("transactionsRoot", .hash(header.transactionsRoot)),
            ("uncles", .array(block.ommers.map { .hash($0.hash) })),
        ]
        return .object(JSONObject(fields))
    }

    /// A log with its position.
    public static func log(_ log: Log, block: BlockHeader, transactionHash: Hash32, transactionIndex: Int, logIndex: Int,
                           removed: Bool = false) -> JSON {
        .object(JSONObject([
            ("address", .address(log.address)),
            ("topics", .array(log.topics.map { .hash($0) })),
            ("data", .data(log.data)),
            ("blockNumber", .quantity(block.number)),
            ("transactionHash", .hash(transactionHash)),
            ("transactionIndex", .quantity(transactionIndex)),
            ("blockHash", .hash(block.hash)),
            ("logIndex", .quantity(logIndex)),
            ("removed", .bool(removed)),
        ]))
    }

    /// A receipt; `firstLogIndex` is the block-wide index of its first log.
    public static func receipt(_ receipt: Receipt, of tx: Transaction, sender: Address, index: Int, block: BlockHeader,
                               previousCumulativeGas: UInt64, firstLogIndex: Int) -> JSON {
        let baseFee = block.baseFeePerGas ?? .zero
        let price = tx.gasPrice ?? baseFee + min(tx.maxPriorityFeePerGas, tx.maxFeePerGas - min(baseFee, tx.maxFeePerGas))
        return .object(JSONObject([
            ("blockHash", .hash(block.hash)),
            ("blockNumber", .quantity(block.number)),
            ("contractAddress", .null),
            ("cumulativeGasUsed", .quantity(receipt.cumulativeGasUsed)),
            ("effectiveGasPrice", .quantity(price)),
            ("from", .address(sender)),
            ("gasUsed", .quantity(receipt.cumulativeGasUsed &- min(previousCumulativeGas, receipt.cumulativeGasUsed))),
            ("logs", .array(receipt.logs.enumerated().map { offset, entry in
                log(entry, block: block, transactionHash: tx.hash, transactionIndex: index, logIndex: firstLogIndex + offset)
            })),
            ("logsBloom", .data(receipt.logsBloom.bytes)),
            ("status", .quantity(receipt.succeeded ? 1 : 0)),
            ("to", .address(tx.to)),
            ("transactionHash", .hash(tx.hash)),
            ("transactionIndex", .quantity(index)),
            ("type", .quantity(UInt64(tx.type.rawValue))),
        ]))
    }
}
