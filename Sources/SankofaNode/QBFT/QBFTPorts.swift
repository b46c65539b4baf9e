import Foundation
import Logging
import SankofaBlockchain
import SankofaChain
import SankofaConsensus
import SankofaPrimitives
import SankofaQBFT
import SankofaTxPool

/// The node's side of QBFT's ports (`ConsensusPorts.swift`): the state machine builds, validates and commits
/// blocks through the `Blockchain` actor, reads the validator set from stored headers, and keeps time with
/// dispatch timers. All of them are called on the consensus thread, so they may wait for the actor.
final class QBFTNodePorts: BlockBuilder, ProposedBlockValidator, BlockImporter, ValidatorProvider, ConsensusClock {
    let blockchain: Blockchain
    let pool: TransactionPool
    let verifier: QBFTHeaderVerifier
    /// Stored headers, for the validator set (thread-safe reads; no need to go through the actor).
    let headers: any ChainHeaderReader
    let thread: ConsensusThread
    let logger: Logger
    /// The most transactions one proposal takes from the pool.
    let maxTransactions: Int
    /// Timer generations by name: a timer that fires after it was replaced or cancelled is ignored.
    private let generations = Locked<[String: UInt64]>([:])

    init(blockchain: Blockchain, headers: any ChainHeaderReader, pool: TransactionPool, verifier: QBFTHeaderVerifier,
         thread: ConsensusThread, logger: Logger, maxTransactions: Int = 20_000) {
        self.blockchain = blockchain
        self.headers = headers
        self.pool = pool
        self.verifier = verifier
        self.thread = thread
        self.logger = logger
        self.maxTransactions = maxTransactions
    }

    // MARK: BlockBuilder

    func buildBlock(_ template: BlockTemplate) throws -> Block {
        let header = BlockHeader(parentHash: template.parentHash, coinbase: template.coinbase, stateRoot: .zero,
                                 difficulty: template.difficulty, number: template.number, gasLimit: template.parent.gasLimit,
                                 gasUsed: 0, timestamp: template.timestamp, extraData: template.extraData,
                                 mixHash: template.mixHash, nonce: template.nonce, baseFeePerGas: template.parent.baseFeePerGas)
        let (blockchain, pool, limit) = (self.blockchain, self.pool, maxTransactions)
        return try blocking {
            let candidates = await pool.candidates(limit: limit)
            let proposal = try await blockchain.propose(header, candidates: candidates)
            for (hash, error) in proposal.rejected {
                if case .blockGasLimitExceeded = error { continue }
                await pool.remove(hash)
            }
            return proposal.block
        }
    }

    // MARK: ProposedBlockValidator

    /// Executes a peer's proposal with senders from the pool's cache (gossip brought most of its transactions here
    /// first), so each sender is recovered once per node.
    func validateProposedBlock(_ block: Block, parent: BlockHeader) throws {
        let (blockchain, pool) = (self.blockchain, self.pool)
        try blocking {
            let recovered = pool.senderCache.recovered(block.transactions)
            try await blockchain.validateProposal(block, recovered: recovered)
        }
    }

    // MARK: BlockImporter

    /// Commits without waiting: the new head comes back to the state machine as a head event, never from inside
    /// this call.
    func importBlock(_ block: Block) throws {
        let (blockchain, logger) = (self.blockchain, self.logger)
        Task {
            do { try await blockchain.importBlock(block) } catch {
                logger.error("Could not commit final block #\(block.number) \(block.hash.hex): \(error)")
            }
        }
    }

    // MARK: ValidatorProvider

    func validators(after header: BlockHeader) throws(ConsensusError) -> [Address] {
        try verifier.validators(after: header, chain: headers)
    }

    // MARK: ConsensusClock

    var nowMilliseconds: UInt64 { UInt64(max(0, Date().timeIntervalSince1970 * 1_000)) }

    func startTimer(_ timer: ConsensusTimer, deadlineMilliseconds: UInt64) {
        let generation = generations.withLock { table -> UInt64 in
            table[timer.name, default: 0] += 1
            return table[timer.name, default: 0]
        }
        let delay = deadlineMilliseconds > nowMilliseconds ? Int(deadlineMilliseconds - nowMilliseconds) : 0
        let (thread, generations) = (self.thread, self.generations)
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(delay)) {
            guard generations.withLock({ $0[timer.name] }) == generation else { return }
            thread.post(.timer(timer))
        }
    }

    func cancelTimer(named name: String) {
        generations.withLock { $0[name, default: 0] += 1 }
    }
}
