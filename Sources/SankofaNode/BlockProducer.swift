import Foundation
import Logging
import SankofaBlockchain
import SankofaChain
import SankofaConsensus
import SankofaCrypto
import SankofaPrimitives
import SankofaTxPool
import ServiceLifecycle

/// Seals blocks when this node's signer may: at each block period, in turn immediately and out of turn after the
/// engine's wiggle delay; when the engine says no (signed too recently, or not a signer) it waits for another
/// signer's block, logging why once per head.
///
/// Event-driven, never polling: it sleeps until something that can change its decision happens — a new head (the
/// chain's head events: our own block, a peer's, a reorg), a transaction becoming pending (only with
/// `sealOnTransaction`, from the pool's pending-hash broadcast), or the planned seal time (a one-shot timer).
/// All three wake one coalescing signal, so a burst of events costs one look at the chain.
///
/// With a `SigningGuard` (hot standby on an etcd lease) it seals only while the guard is active — otherwise it
/// does nothing and the node follows the chain as a replica — and every seal is permitted by the guard before the
/// block is stored or sent to peers.
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
    /// Asked before every seal leaves the process; nil: this node is the key's only signer.
    let signingGuard: (any SigningGuard)?
    /// After a failed seal attempt, try again this much later (or at the next head, if sooner).
    static let retryAfterFailure: Double = 1

    public init(blockchain: Blockchain, pool: TransactionPool, key: PrivateKey, period: UInt64, logger: Logger,
                metrics: NodeMetrics, sealOnTransaction: Bool = false, signingGuard: (any SigningGuard)? = nil,
                headState: @escaping @Sendable (BlockHeader) throws -> any PoolStateReader) {
        self.headState = headState
        self.signingGuard = signingGuard
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
            // Graceful shutdown cancels the wait: a normal way out.
        }
    }

    func loop() async throws {
        // Subscribe before the first look at the head, so that no change between the two goes unnoticed.
        let heads = await blockchain.headEvents()
        let transactions = sealOnTransaction ? await pool.pendingTransactionStream() : nil
        let roles = await signingGuard?.activeChanges()
        let wake = WakeSignal()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { for await _ in heads { wake.fire() } }
            if let roles {
                group.addTask { for await _ in roles { wake.fire() } }
            }
            if let transactions {
                group.addTask { for await _ in transactions { wake.fire() } }
            }
            do {
                try await cancelWhenGracefulShutdown { try await seal(wake: wake) }
            } catch {
                group.cancelAll()
                throw error
            }
            group.cancelAll()
        }
    }

    /// Decides, acts, and waits for the next wake-up, until cancelled.
    func seal(wake: WakeSignal) async throws {
        var stalledAt: Hash32?
        var standby = false
        // When to seal on top of a given head: fixed once per head, so an out-of-turn wiggle elapses.
        var plan: (head: Hash32, sealAt: Double)?
        while !Task.isCancelled {
            let head = blockchain.head
            // The next time to look again without an event; nil: only an event can change anything.
            var deadline: Double?
            if let signingGuard, !(await signingGuard.isActive) {
                // A hot standby: follow as a replica until the guard wakes us with the lease.
                if !standby { logger.info("Standby: not sealing until this node holds the validator lease; following the chain as a replica") }
                standby = true
                plan = nil
                await wake.wait(timeout: .seconds(3_600))
                continue
            }
            standby = false
            if let delay = try await blockchain.sealDelay(for: key.address) {
                let now = Date().timeIntervalSince1970
                if plan?.head != head.hash {
                    plan = (head.hash, max(now, Double(head.timestamp + period)) + delay.seconds)
                }
                let sealAt = plan?.sealAt ?? now
                let hasWork = sealOnTransaction ? await pool.status.pending > 0 : true
                if now < sealAt {
                    deadline = sealAt
                } else if hasWork {
                    guard blockchain.head.hash == head.hash else { continue }
                    do {
                        try await produce(on: head, timestamp: max(UInt64(now), head.timestamp + period))
                        continue
                    } catch let error as CancellationError {
                        throw error
                    } catch ImportError.headMoved {
                        continue   // a peer's block arrived first: plan again on the new head
                    } catch {
                        // A failed attempt (e.g. refused by our own verification) must not stop the node: log, retry.
                        logger.warning("Could not seal block #\(head.number + 1) on parent time \(head.timestamp) at \(Date().timeIntervalSince1970): \(error)")
                        metrics.consensusEvent("seal_failed")
                        deadline = Date().timeIntervalSince1970 + Self.retryAfterFailure
                    }
                }
            } else if stalledAt != head.hash {
                stalledAt = head.hash
                logger.info("Waiting for another signer: \(key.address.checksummed) may not seal block #\(head.number + 1) (signed recently or not authorised)")
                metrics.consensusEvent("stalled")
            }
            // Until the next event, or the planned seal time; without a plan only an event can change anything
            // (the hour is a backstop, not a poll).
            let wait = deadline.map { max(0, $0 - Date().timeIntervalSince1970) } ?? 3_600
            await wake.wait(timeout: .milliseconds(Int64((wait * 1_000).rounded(.up))))
        }
    }

    func produce(on head: BlockHeader, timestamp: UInt64) async throws {
        let started = ContinuousClock.now
        let candidates = await pool.candidates(limit: 20_000)
        let produced: ProducedBlock
        if let signingGuard {
            let (proposal, sealed) = try await blockchain.sealBlock(signer: key, candidates: candidates, timestamp: timestamp,
                                                                    on: head.hash)
            // The seal exists only in this process until the guard has recorded it.
            try await signingGuard.permit(SigningIntent(height: sealed.number, round: 0, blockHash: sealed.hash))
            produced = try await blockchain.commitSealed(proposal, sealed: sealed)
        } else {
            produced = try await blockchain.produceBlock(signer: key, candidates: candidates, timestamp: timestamp, on: head.hash)
        }
        let elapsed = ContinuousClock.now - started
        let block = produced.block
        let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1_000
        logger.info("Produced block #\(block.number) \(block.hash.hex.prefix(10))… txs=\(block.transactions.count) gas=\(block.header.gasUsed) \(String(format: "%.1f", milliseconds))ms")
        metrics.blockProduced(block, milliseconds: milliseconds)
        // Update the pool now rather than when the head follower gets to it: the next block must not re-propose
        // transactions this one included.
        if let reader = try? headState(block.header) {
            await pool.newHead(state: reader, blockGasLimit: block.header.gasLimit, block: block)
        }
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
