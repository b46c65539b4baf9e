import SankofaChain
import SankofaConsensus
import SankofaContracts
import SankofaCrypto
import SankofaExecution
import SankofaPrimitives
import SankofaState
import SankofaStorage
import Testing
@testable import SankofaBlockchain

/// An engine that accepts every header and declares every block final, so the tests see `Blockchain`'s own rules.
private struct FinalOnImportEngine: ConsensusEngine {
    var forkChoice: ForkChoice { .immediateFinality }
    func verifyHeader(_ header: BlockHeader, parent: BlockHeader, chain: any ChainHeaderReader) throws(ConsensusError) {}
    func author(of header: BlockHeader) throws(ConsensusError) -> Address { header.coinbase }
    func weight(of header: BlockHeader) -> UInt256 { .one }
    func validators(after header: BlockHeader, chain: any ChainHeaderReader) throws(ConsensusError) -> [Address] { [] }
}

@Suite("Fork choice and proposals")
struct ForkChoiceTests {
    static func chain() throws -> Blockchain {
        let user = InProcessNetwork.key("user").address
        let genesis = InProcessNetwork.genesis(signers: [user], funded: [user])
        let chain = try ChainStore(store: MemoryStore())
        try Genesis.initialize(genesis, validators: [user], chain: chain)
        let executor = BlockExecutor(processor: TransactionProcessor(registry: SystemContracts.registry, chainId: genesis.chainId))
        return try Blockchain(chain: chain, engine: FinalOnImportEngine(), executor: executor)
    }

    static func header(on parent: BlockHeader, timestamp: UInt64) -> BlockHeader {
        BlockHeader(parentHash: parent.hash, coinbase: .zero, stateRoot: .zero, difficulty: .one, number: parent.number + 1,
                    gasLimit: parent.gasLimit, gasUsed: 0, timestamp: timestamp, extraData: [],
                    baseFeePerGas: parent.baseFeePerGas)
    }

    @Test func underImmediateFinalityACompetingBlockIsRefusedNotReorged() async throws {
        let blockchain = try Self.chain()
        let genesis = blockchain.head
        let first = try await blockchain.propose(Self.header(on: genesis, timestamp: genesis.timestamp + 1), candidates: [])
        let rival = try await blockchain.propose(Self.header(on: genesis, timestamp: genesis.timestamp + 2), candidates: [])
        #expect(try await blockchain.commit(first, sealed: first.block.header) == .newHead(reorgDepth: 0))
        await #expect(throws: ImportError.conflictsWithFinalBlock(number: 1)) { try await blockchain.importBlock(rival.block) }
        #expect(blockchain.head.hash == first.block.hash)
        // The head is final as soon as it is stored.
        #expect(try blockchain.chain.finalizedHash() == first.block.hash)
    }

    @Test func aValidatedProposalIsCommittedWithoutExecutingAgain() async throws {
        let proposer = try Self.chain()
        let voter = try Self.chain()
        let genesis = proposer.head
        let proposal = try await proposer.propose(Self.header(on: genesis, timestamp: genesis.timestamp + 1), candidates: [])
        try await voter.validateProposal(proposal.block)
        #expect(voter.executed.count == 1)
        #expect(try await voter.importBlock(proposal.block) == .newHead(reorgDepth: 0))
        #expect(voter.executed.count == 0)   // taken from the cache, not executed again
        try await proposer.commit(proposal, sealed: proposal.block.header)
        // A block that differs from what was validated is executed on its own, and refused.
        let next = try await proposer.propose(Self.header(on: proposer.head, timestamp: genesis.timestamp + 2), candidates: [])
        try await voter.validateProposal(next.block)
        var header = next.block.header
        header.gasUsed += 1
        await #expect(throws: ImportError.self) {
            try await voter.importBlock(Block(header: header, transactions: next.block.transactions))
        }
        #expect(voter.head.hash == proposal.block.hash)
    }
}
