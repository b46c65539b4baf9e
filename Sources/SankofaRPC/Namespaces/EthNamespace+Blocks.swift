import SankofaChain
import SankofaJSON
import SankofaPrimitives

extension EthNamespace {
    func blockByNumber(_ params: RPCParams) async throws -> JSON {
        guard let header = try await header(try params.block(0)) else { return .null }
        return try await blockJSON(header.hash, full: try params.bool(1, default: false))
    }

    func blockByHash(_ params: RPCParams) async throws -> JSON {
        try await blockJSON(try params.hash(0), full: try params.bool(1, default: false))
    }

    func blockJSON(_ hash: Hash32, full: Bool) async throws -> JSON {
        guard let block = try await backend.chain.block(hash: hash) else { return .null }
        let senders = full ? try await backend.chain.senders(of: block) : nil
        return RPCShapes.block(block, senders: senders, totalDifficulty: nil)
    }

    func transactionCount(_ header: BlockHeader?) async throws -> JSON {
        guard let header, let block = try await backend.chain.block(hash: header.hash) else { return .null }
        return .quantity(block.transactions.count)
    }

    func transactionByHash(_ params: RPCParams) async throws -> JSON {
        let hash = try params.hash(0)
        if let location = try await backend.chain.transactionLocation(hash),
           let block = try await backend.chain.block(hash: location.blockHash), block.transactions.indices.contains(location.index) {
            let tx = block.transactions[location.index]
            return RPCShapes.transaction(tx, sender: try await backend.chain.sender(of: block, at: location.index),
                                         block: block.header, index: location.index)
        }
        if let pending = await backend.pool.pendingTransaction(hash) {
            return RPCShapes.transaction(pending.transaction, sender: pending.sender, block: nil, index: nil)
        }
        return .null
    }

    func transactionInBlock(_ header: BlockHeader?, index: UInt256) async throws -> JSON {
        guard let header, let block = try await backend.chain.block(hash: header.hash),
              let position = index.asUInt64.flatMap({ Int(exactly: $0) }), block.transactions.indices.contains(position) else {
            return .null
        }
        let tx = block.transactions[position]
        return RPCShapes.transaction(tx, sender: try await backend.chain.sender(of: block, at: position), block: header, index: position)
    }

    func transactionReceipt(_ params: RPCParams) async throws -> JSON {
        guard let location = try await backend.chain.transactionLocation(try params.hash(0)),
              let block = try await backend.chain.block(hash: location.blockHash),
              let receipts = try await backend.chain.receipts(blockHash: location.blockHash),
              receipts.indices.contains(location.index), block.transactions.indices.contains(location.index) else {
            return .null
        }
        return try receiptJSON(block: block, receipts: receipts, index: location.index,
                               senders: try await backend.chain.senders(of: block))
    }

    func blockReceipts(_ params: RPCParams) async throws -> JSON {
        guard let header = try await header(try params.block(0)),
              let block = try await backend.chain.block(hash: header.hash),
              let receipts = try await backend.chain.receipts(blockHash: header.hash) else { return .null }
        let senders = try await backend.chain.senders(of: block)
        return .array(try receipts.indices.map { try receiptJSON(block: block, receipts: receipts, index: $0, senders: senders) })
    }

    func receiptJSON(block: Block, receipts: [Receipt], index: Int, senders: [Address]) throws -> JSON {
        guard block.transactions.indices.contains(index), receipts.indices.contains(index), senders.indices.contains(index) else {
            throw RPCError.internalError("block \(block.hash.hex) has \(receipts.count) receipts for \(block.transactions.count) transactions")
        }
        let tx = block.transactions[index]
        let previous = index == 0 ? 0 : receipts[index - 1].cumulativeGasUsed
        let firstLog = receipts.prefix(index).reduce(0) { $0 + $1.logs.count }
        return RPCShapes.receipt(receipts[index], of: tx, sender: senders[index], index: index, block: block.header,
                                 previousCumulativeGas: previous, firstLogIndex: firstLog)
    }

    /// eth_feeHistory: Sankofa's base fee is fixed, so each block reports it with its gas-used ratio.
    func feeHistory(_ params: RPCParams) async throws -> JSON {
        guard let count = try params.quantity(0).asUInt64, count > 0 else { throw RPCError.invalidParams("block count must be ≥ 1") }
        guard let newest = try await header(try params.block(1)) else { return .null }
        let blocks = min(count, 1_024, newest.number + 1)
        var baseFees: [JSON] = []
        var ratios: [JSON] = []
        var rewards: [JSON] = []
        // Absent or null means no rewards; anything else must be a list (geth answers -32602 for "50" or {}).
        let percentiles: [JSON]
        if let given = params.optional(2) {
            guard let list = given.arrayValue else {
                throw RPCError.invalidParams("argument 2 (rewardPercentiles) must be a list of numbers, e.g. [25, 75]")
            }
            percentiles = list
        } else {
            percentiles = []
        }
        // geth's rules: at most 100 percentiles, each in [0, 100], ascending.
        guard percentiles.count <= 100 else { throw RPCError.invalidParams("at most 100 reward percentiles") }
        var previous = -1.0
        for value in percentiles {
            guard case .number(let number) = value, case let percentile = number.doubleValue, percentile >= 0, percentile <= 100,
                  percentile >= previous else {
                throw RPCError.invalidParams("reward percentiles must be numbers in [0, 100], ascending")
            }
            previous = percentile
        }
        for number in (newest.number + 1 - blocks)...newest.number {
            guard let header = try await backend.chain.header(.number(number)) else { continue }
            baseFees.append(.quantity(header.baseFeePerGas ?? .zero))
            ratios.append(.number(JSONNumber(literal: header.gasLimit == 0 ? "0" : String(Double(header.gasUsed) / Double(header.gasLimit))) ?? JSONNumber(0)))
            if !percentiles.isEmpty { rewards.append(.array(percentiles.map { _ in .quantity(UInt64(0)) })) }
        }
        baseFees.append(.quantity(newest.baseFeePerGas ?? .zero))
        var fields: [(String, JSON)] = [
            ("oldestBlock", .quantity(newest.number + 1 - blocks)), ("baseFeePerGas", .array(baseFees)),
            ("gasUsedRatio", .array(ratios)),
        ]
        if !percentiles.isEmpty { fields.append(("reward", .array(rewards))) }
        return .object(JSONObject(fields))
    }
}
