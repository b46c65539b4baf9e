import Foundation
import Logging
import SankofaBlockchain
import SankofaChain
import SankofaConsensus
import SankofaContracts
import SankofaCrypto
import SankofaExecution
import SankofaPrimitives
import SankofaQBFT
import SankofaState
import SankofaStorage
import SankofaTxPool
import Testing
@testable import SankofaNode

/// The QBFT service behind a signing guard, in process on a one-validator QBFT chain (which commits alone, one
/// block per second): a standby runs no state machine and commits nothing, an active member commits and the guard
/// saw each block's digest first, and the state machine stops when the guard does.
@Suite("QBFT service behind a signing guard", .timeLimit(.minutes(1)))
struct GuardedQBFTServiceTests {
    static let validator = GovernanceValidatorsTests.a

    @Test func runsTheStateMachineOnlyWhileActiveAndSignsOnlyWhatTheGuardPermitted() async throws {
        let store = MemoryStore()
        let genesis = GenesisFile(
            chainId: 2020, consensus: .qbft(.init(blockPeriodSeconds: 1)), timestamp: 0,
            extraData: QBFTExtraData(validators: [Self.validator.address]).encoded(), gasLimit: 30_000_000,
            difficulty: 1, mixHash: BlockHeader.istanbulMixHash, nonce: 0, coinbase: .zero, baseFeePerGas: .zero,
            alloc: [:], roles: [:], board: [Self.validator.address], threshold: 1, parameters: [:])
        let chain = try ChainStore(store: store)
        let consensus = NodeConsensus(genesis: genesis, store: store)
        guard case .qbft(let verifier) = consensus else { throw GovernanceValidatorsTests.TestFailure("not QBFT") }
        let genesisBlock = try Genesis.initialize(genesis, validators: try consensus.genesisValidators(genesis), chain: chain)
        let blockchain = try Blockchain(chain: chain, engine: consensus.engine, executor: BlockExecutor(
            processor: TransactionProcessor(registry: SystemContracts.registry, chainId: genesis.chainId)))
        let pool = TransactionPool(config: TxPoolConfig(chainId: genesis.chainId),
                                   state: try HeadStateReader(store: store, root: genesisBlock.header.stateRoot),
                                   blockGasLimit: genesisBlock.header.gasLimit)
        let signingGuard = FakeSigningGuard()
        let service = QBFTService(blockchain: blockchain, headers: StoredHeaders(chain: chain), pool: pool, verifier: verifier,
                                  key: Self.validator, logger: Logger(label: "test"), metrics: NodeMetrics(),
                                  gossip: PeerGossip(), signingGuard: signingGuard)
        let running = Task { try await service.run() }
        var failure: (any Error)?
        do { try await scenario(blockchain, service, signingGuard) } catch { failure = error }
        running.cancel()
        _ = await running.result
        if let failure { throw failure }
    }

    static func head(_ blockchain: Blockchain, atLeast number: UInt64) async throws -> BlockHeader {
        var head = blockchain.head
        for _ in 0..<200 where head.number < number {
            try await Task.sleep(for: .milliseconds(25))
            head = blockchain.head
        }
        return head
    }

    func scenario(_ blockchain: Blockchain, _ service: QBFTService, _ signingGuard: FakeSigningGuard) async throws {
        // Standby: no state machine, no block (the block timer would have fired at once: genesis is long past).
        try await Task.sleep(for: .milliseconds(700))
        #expect(blockchain.head.number == 0)
        #expect(service.status.withLock { $0.height } == nil)
        #expect(signingGuard.asked == 0)

        // Active: blocks are committed, and every one's digest was permitted at its height/round before.
        signingGuard.set(active: true)
        let head = try await Self.head(blockchain, atLeast: 2)
        #expect(head.number >= 2)
        for number in 1...head.number {
            let header = try #require(try blockchain.chain.canonicalHeader(number))
            let intent = SigningIntent(height: number, round: try QBFTExtraData(rlp: header.extraData).round,
                                       blockHash: try QBFTBlockHashing.commitSealHash(header))
            #expect(signingGuard.permitted.contains(intent), "#\(number) committed without a permit for \(intent)")
            #expect(try QBFTBlockHashing.recoverCommitters(header) == [Self.validator.address])
        }

        // Standby again: the state machine is dropped, and at most a block already in flight lands.
        signingGuard.set(active: false)
        try await Task.sleep(for: .milliseconds(200))
        let stoppedAt = blockchain.head.number
        #expect(service.status.withLock { $0.height } == nil)
        try await Task.sleep(for: .milliseconds(2_200))
        #expect(blockchain.head.number <= stoppedAt + 1)
        let asked = signingGuard.asked
        try await Task.sleep(for: .milliseconds(1_100))
        #expect(signingGuard.asked == asked, "a standby's state machine kept asking to sign")
    }
}
