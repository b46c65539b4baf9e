import SankofaChain
import SankofaConsensus
import SankofaPrimitives
@testable import SankofaQBFT

/// One node's chain for the fake network: blocks keyed by their QBFT on-chain hash (what `parentHash` holds),
/// a canonical index, and import through the real `QBFTHeaderVerifier`.
final class FakeQBFTChain: ChainHeaderReader, ValidatorProvider, @unchecked Sendable {
    private(set) var blocks: [UInt64: Block] = [:]
    private var byHash: [Hash32: BlockHeader] = [:]
    let verifier: QBFTHeaderVerifier

    init(genesis: BlockHeader, verifier: QBFTHeaderVerifier) {
        self.verifier = verifier
        blocks[0] = Block(header: genesis, transactions: [])
        byHash[genesis.hash] = genesis
    }

    var head: BlockHeader { blocks[UInt64(blocks.count - 1)]?.header ?? BlockHeader.placeholder }
    var headNumber: UInt64 { UInt64(blocks.count - 1) }

    func header(_ hash: Hash32) throws -> BlockHeader? { byHash[hash] }
    func canonicalHeader(_ number: UInt64) throws -> BlockHeader? { blocks[number]?.header }

    func validators(after header: BlockHeader) throws(ConsensusError) -> [Address] {
        try verifier.validators(after: header, chain: self)
    }

    /// Verifies and appends `block` on the head.
    func append(_ block: Block) throws {
        try verifier.verifyHeader(block.header, parent: head, chain: self)
        blocks[block.header.number] = block
        byHash[try QBFTBlockHashing.onChainHash(block.header)] = block.header
    }

    /// The on-chain hash of the block at `number`.
    func hash(at number: UInt64) -> Hash32? { blocks[number].flatMap { try? QBFTBlockHashing.onChainHash($0.header) } }
}

extension BlockHeader {
    static let placeholder = BlockHeader(parentHash: .zero, coinbase: .zero, stateRoot: .zero, difficulty: 0, number: 0,
                                         gasLimit: 0, gasUsed: 0, timestamp: 0, extraData: [])
}
