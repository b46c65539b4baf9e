import SankofaChain
import SankofaCrypto
import SankofaPrimitives
import SankofaTxPool

/// Transaction-pool bookkeeping with senders already recovered: 4,096 admissions, and lookups by hash (what
/// gossip serves peers from), for one transaction each from 4,096 senders against 512 each from 8 senders. Per
/// transaction the work should not depend on how many the sender already has pooled (Caliper-style loads often
/// come from a handful of accounts).
enum PoolCases {
    static let count = 4_096

    static func all() -> [BenchmarkCase] {
        let spread = transactions(senders: count)
        let crowded = transactions(senders: 8)
        let spreadPool = filled(with: spread)
        let crowdedPool = filled(with: crowded)
        let spreadHashes = spread.map(\.transaction.hash)
        let crowdedHashes = crowded.map(\.transaction.hash)
        return [
            BenchmarkCase(name: "txpool/insert-1-per-sender", bytesPerOp: 0, itemsPerOp: count, baseline: nil) { n in
                for _ in 0..<n { blackHole(filled(with: spread)) }
            },
            BenchmarkCase(name: "txpool/insert-512-per-sender", bytesPerOp: 0, itemsPerOp: count,
                          baseline: "txpool/insert-1-per-sender") { n in
                for _ in 0..<n { blackHole(filled(with: crowded)) }
            },
            BenchmarkCase(name: "txpool/lookup-1-per-sender", bytesPerOp: 0, itemsPerOp: count, baseline: nil) { n in
                for _ in 0..<n { blackHole(try! blocking { await spreadPool.transactions(spreadHashes) }) }
            },
            BenchmarkCase(name: "txpool/lookup-512-per-sender", bytesPerOp: 0, itemsPerOp: count,
                          baseline: "txpool/lookup-1-per-sender") { n in
                for _ in 0..<n { blackHole(try! blocking { await crowdedPool.transactions(crowdedHashes) }) }
            },
        ]
    }

    /// `count` transactions from `senders` senders, nonces 0, 1, … per sender. One key signs them all (so hashes
    /// differ); the pool takes the sender it is given, as after recovery.
    static func transactions(senders: Int) -> [RecoveredTransaction] {
        let key = try! PrivateKey(hex: "0x8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63")
        return (0..<count).map { index in
            let tx = Transaction.Payload.dynamicFee(DynamicFeeTransaction(
                chainId: 1337, nonce: UInt64(index / senders), maxPriorityFeePerGas: .zero, maxFeePerGas: .zero,
                gasLimit: 21_000, to: Address(low: UInt32(index)), value: .zero, data: [], accessList: [])).signed(with: key)
            return RecoveredTransaction(transaction: tx, sender: Address(low: UInt32(0x10_0000 + index % senders)))
        }
    }

    /// A fresh pool holding `transactions`, all pending.
    static func filled(with transactions: [RecoveredTransaction]) -> TransactionPool {
        var config = TxPoolConfig(chainId: 1337)
        config.maxPerSender = count
        let pool = TransactionPool(config: config, state: EmptyState(), blockGasLimit: 30_000_000)
        let pending = try! blocking { () async -> Int in
            for tx in transactions { _ = try? await pool.insert(tx) }
            return await pool.status.pending
        }
        precondition(pending == transactions.count, "the pool refused some of the benchmark's transactions")
        return pool
    }
}

/// Every account at nonce 0 with no balance (the benchmark's transactions are free).
private struct EmptyState: PoolStateReader {
    func nonce(of address: Address) throws -> UInt64 { 0 }
    func balance(of address: Address) throws -> UInt256 { .zero }
}
