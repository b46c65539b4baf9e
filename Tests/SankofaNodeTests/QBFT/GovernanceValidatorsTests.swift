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
import Testing
@testable import SankofaNode

/// QBFT contract mode through the node's own parts: a real chain, real execution of Governance transactions, the
/// node's state-reading validator source and the import pipeline's header verification.
@Suite("QBFT validators from the Governance contract")
struct GovernanceValidatorsTests {
    static let a = try! PrivateKey(hex: "0xc87509a1c067bbde78beb793e6fa76530b6382a4c0241e5e4a9ec0a0f44dc0d3")
    static let b = try! PrivateKey(hex: "0xae6ae8e5ccbfb04590405997ee2d52d2b330726137b875053c36d94e974d162f")
    static let chainId: UInt64 = 2018

    /// A one-validator contract-mode chain with `a` as validator and sole board member (threshold 1).
    struct Harness {
        let store = MemoryStore()
        let blockchain: Blockchain
        let verifier: QBFTHeaderVerifier

        init() async throws {
            let genesis = GenesisFile(
                chainId: GovernanceValidatorsTests.chainId,
                consensus: .qbft(.init(blockPeriodSeconds: 1, validatorContractAddress: GenesisFile.QBFTSettings.governanceContract)),
                timestamp: 0, extraData: QBFTExtraData(validators: [a.address]).encoded(), gasLimit: 30_000_000,
                difficulty: 1, mixHash: BlockHeader.istanbulMixHash, nonce: 0, coinbase: .zero, baseFeePerGas: .zero,
                alloc: [:], roles: [:], board: [a.address], threshold: 1, parameters: [:])
            let chain = try ChainStore(store: store)
            let consensus = NodeConsensus(genesis: genesis, store: store)
            guard case .qbft(let verifier) = consensus else { throw TestFailure("not QBFT") }
            self.verifier = verifier
            try Genesis.initialize(genesis, validators: try consensus.genesisValidators(genesis), chain: chain)
            let executor = BlockExecutor(processor: TransactionProcessor(registry: SystemContracts.registry,
                                                                         chainId: GovernanceValidatorsTests.chainId))
            blockchain = try Blockchain(chain: chain, engine: consensus.engine, executor: executor)
        }

        /// The validators the state machine gets for the child of `header` (the ports' `ValidatorProvider`).
        func validators(after header: BlockHeader) async throws -> [Address] {
            try verifier.validators(after: header, chain: await blockchain.headers)
        }

        /// Builds the next block listing `validators` with `transactions`, seals it with `sealers` and commits it.
        @discardableResult
        func commitNext(validators: [Address], transactions: [Transaction] = [], sealers: [PrivateKey]) async throws -> SankofaBlockchain.Proposal {
            let parent = blockchain.head
            let header = BlockHeader(parentHash: try QBFTBlockHashing.onChainHash(parent), coinbase: a.address,
                                     stateRoot: .zero, difficulty: 1, number: parent.number + 1, gasLimit: parent.gasLimit,
                                     gasUsed: 0, timestamp: parent.timestamp + 1,
                                     extraData: QBFTExtraData(validators: validators.sorted()).encoded(),
                                     mixHash: BlockHeader.istanbulMixHash, nonce: 0, baseFeePerGas: parent.baseFeePerGas)
            let proposal = try await blockchain.propose(header, candidates: try transactions.map { try $0.recovered() })
            let digest = try QBFTBlockHashing.commitSealHash(proposal.block.header)
            let sealed = try QBFTBlockHashing.sealed(proposal.block.header, round: 0, commitSeals: sealers.map { $0.sign(digest) })
            try await blockchain.commit(proposal, sealed: sealed)
            return proposal
        }
    }

    struct TestFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// A Governance call from `a`.
    static func governance(_ function: String, _ arguments: [ABIValue], nonce: UInt64) throws -> Transaction {
        guard let definition = Governance().functions.first(where: { $0.name == function }) else { throw TestFailure(function) }
        let data = definition.selector + (try ABI.encode(arguments, as: definition.inputs.map(\.type)))
        return Transaction.Payload.dynamicFee(DynamicFeeTransaction(
            chainId: chainId, nonce: nonce, maxPriorityFeePerGas: .zero, maxFeePerGas: .zero, gasLimit: 500_000,
            to: SystemAddresses.governance, value: .zero, data: data, accessList: [])).signed(with: a)
    }

    /// Block 1 proposes, votes and executes action 1 (add `b`).
    static func addB(_ harness: Harness) async throws {
        let payload = try ABI.encode([.address(b.address)], as: [.address])
        let transactions = [
            try governance("propose", [.uint(UInt256(1)), .bytes(payload), .string("add b")], nonce: 0),
            try governance("vote", [.uint(UInt256(1)), .bool(true)], nonce: 1),
            try governance("execute", [.uint(UInt256(1))], nonce: 2),
        ]
        let proposal = try await harness.commitNext(validators: [a.address], transactions: transactions, sealers: [a])
        #expect(proposal.rejected.isEmpty)
        #expect(proposal.receipts.map { $0.succeeded } == [true, true, true])
    }

    @Test func actionOneInBlockNChangesTheValidatorsOfBlockNPlusOne() async throws {
        let harness = try await Harness()
        let genesis = harness.blockchain.head
        #expect(try await harness.validators(after: genesis) == [Self.a.address])
        try await Self.addB(harness)
        let one = harness.blockchain.head
        #expect(one.number == 1)
        let expected = [Self.a.address, Self.b.address].sorted()
        #expect(try await harness.validators(after: one) == expected)
        // The height the state machine starts next: the new list and its quorum (2 of 2).
        let context = HeightContext(parent: one, parentHash: try QBFTBlockHashing.onChainHash(one),
                                    validators: try await harness.validators(after: one))
        #expect(context.validators == expected && context.quorum == 2)

        // Block 2 lists both and needs both seals: `a` alone (the old quorum) is not enough.
        await #expect(throws: ImportError.self) {
            try await harness.commitNext(validators: expected, sealers: [Self.a])
        }
        try await harness.commitNext(validators: expected, sealers: [Self.a, Self.b])
        let two = harness.blockchain.head
        #expect(two.number == 2)
        #expect(try QBFTExtraData(rlp: two.extraData).validators == expected)
    }

    @Test func aHeaderThatDisagreesWithTheContractIsRefused() async throws {
        let harness = try await Harness()
        try await Self.addB(harness)
        do {
            // The old list, sealed by its whole quorum: the contract at the parent says otherwise.
            try await harness.commitNext(validators: [Self.a.address], sealers: [Self.a])
            Issue.record("committed a block listing only a")
        } catch {
            #expect("\(error)".contains("the Governance contract lists"), "\(error)")
        }
        #expect(harness.blockchain.head.number == 1)
    }

    @Test func rpcVotesAreRefusedInContractMode() async throws {
        let harness = try await Harness()
        #expect(NodeConsensus.qbft(harness.verifier).validatorVotesRefusal?.contains("Governance contract") == true)
        #expect(NodeConsensus.qbft(QBFTHeaderVerifier(config: QBFTConfig())).validatorVotesRefusal == nil)
    }
}
