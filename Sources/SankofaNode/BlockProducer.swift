import Foundation
import Logging
import SankofaBlockchain
import SankofaChain
import SankofaCrypto
import SankofaPrimitives
import SankofaTxPool
import ServiceLifecycle

/// Seals blocks when this node's signer may: at each block period, in turn immediately and out of turn after the
/// engine's wiggle delay; when the engine says no (signed too recently, or not a signer) it waits for another
/// signer's block, logging why once per head.
public struct BlockProducer: Service, CustomStringConvertible {
    public var description: String { "BlockProducer(\(key.address.checksummed))" }
    let blockchain: Blockchain
    let pool: TransactionPool
    let key: PrivateKey
    let period: UInt64
    let logger: Logger
    let metrics: NodeMetrics
    /// The pool's view of a new head's state (so the pool learns of our block before we build the next one).
    let headState: @Sendable (BlockHeader) throws -> any PoolStateReader
    /// Seal only when transactions are pending (Clique with period 0, as geth's dev mode): no empty blocks.
    let sealOnTransaction: Bool

    public init(blockchain: Blockchain, pool: TransactionPool, key: PrivateKey, period: UInt64, logger: Logger,
                metrics: NodeMetrics, sealOnTransaction: Bool = false,
                headState: @escaping @Sendable (BlockHeader) throws -> any PoolStateReader) {
        self.headState = headState
        self.blockchain = blockchain
        self.pool = pool
        self.key = key
        self.period = period
        self.logger = logger
        self.metrics = metrics
        self.sealOnTransaction = sealOnTransaction
    }

    public func run() async throws {
        do {
            try await loop()
        } catch is CancellationError {
            // Graceful shutdown cancels the sleep: a normal way out.
        }
    }

    func loop() async throws {
        try await cancelWhenGracefulShutdown {
            var stalledAt: Hash32?
            // When to seal on top of a given head: fixed once per head, so an out-of-turn wiggle elapses.
            var plan: (head: Hash32, sealAt: Double)?
            while !Task.isCancelled {
                let head = await blockchain.head
                guard let delay = try await blockchain.sealDelay(for: key.address) else {
                    if stalledAt != head.hash {
                        stalledAt = head.hash
                        logger.info("Waiting for another signer: \(key.address.checksummed) may not seal block #\(head.number + 1) (signed recently or not authorised)")
                        metrics.consensusEvent("stalled")
                    }
                    try await Task.sleep(for: .milliseconds(250))
                    continue
                }
                let now = Date().timeIntervalSince1970
                if plan?.head != head.hash {
                    plan = (head.hash, max(now, Double(head.timestamp + period)) + delay.seconds)
                }
                let sealAt = plan?.sealAt ?? now
                if now < sealAt {
                    // Re-check often: another signer's block may arrive and change the head.
                    try await Task.sleep(for: .seconds(min(sealAt - now, 0.25)))
                    continue
                }
                if sealOnTransaction, await pool.status.pending == 0 {
                    try await Task.sleep(for: .milliseconds(5))
                    continue
                }
                guard await blockchain.head.hash == head.hash else { continue }
                do {
                    try await produce(on: head, timestamp: max(UInt64(now), head.timestamp + period))
                } catch let error as CancellationError {
                    throw error
                } catch {
                    // A failed attempt (e.g. refused by our own verification) must not stop the node: log, pause, retry.
                    logger.warning("Could not seal block #\(head.number + 1) on parent time \(head.timestamp) at \(Date().timeIntervalSince1970): \(error)")
                    metrics.consensusEvent("seal_failed")
                    try await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    func produce(on head: BlockHeader, timestamp: UInt64) async throws {
        let started = ContinuousClock.now
        let candidates = await pool.candidates(limit: 20_000)
        let produced = try await blockchain.produceBlock(signer: key, candidates: candidates, timestamp: timestamp)
        let elapsed = ContinuousClock.now - started
        let block = produced.block
        let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1_000
        logger.info("Produced block #\(block.number) \(block.hash.hex.prefix(10))… txs=\(block.transactions.count) gas=\(block.header.gasUsed) \(String(format: "%.1f", milliseconds))ms")
        metrics.blockProduced(block, milliseconds: milliseconds)
        // Update the pool now rather than when the head follower gets to it: the next block must not re-propose
        // transactions this one included.
        if let reader = try? headState(block.header) { await pool.newHead(state: reader, blockGasLimit: block.header.gasLimit) }
        for (hash, error) in produced.rejected {
            if case .blockGasLimitExceeded = error { continue }
            logger.debug("Dropped transaction \(hash.hex): \(error)")
            await pool.remove(hash)
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
