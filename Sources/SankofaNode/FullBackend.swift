import SankofaBlockchain
import SankofaChain
import SankofaClique
import SankofaContracts
import SankofaCrypto
import SankofaExecution
import SankofaPrimitives
import SankofaRPC
import SankofaState
import SankofaStorage
import SankofaSync
import SankofaTrie
import SankofaTxPool

/// What RPC reads on a full node (validator or replica): the chain store, the head, state at any kept block,
/// the pool and the consensus engine.
struct FullBackend {
    let chain: ChainStore
    let blockchain: Blockchain
    let txPool: TransactionPool
    let consensus: NodeConsensus
    /// The local QBFT validator, for its pending votes.
    let qbft: QBFTService?
    let chainId: UInt64
    let nodeKey: PrivateKey?
    let config: NodeConfig
    /// The dev chain is ready without peers.
    let isDev: Bool
    /// Peers, for `peerCount`, `enode` and readiness; nil on the dev chain.
    let network: NodeNetwork?
    /// The chain sync, for `eth_syncing` and readiness; nil on the dev chain.
    let sync: ChainSync?
    /// The hot-standby lease, when this validator has one.
    var lease: ValidatorLease? = nil
    /// Decoded recent blocks, receipts and senders (the node's one cache, which the head follower fills).
    let recent: RecentBlocks
}

extension FullBackend: ChainQueries {
    func headHeader() throws -> BlockHeader { blockchain.head }

    func header(_ tag: BlockTag) async throws -> BlockHeader? {
        switch tag {
        case .latest, .pending, .safe, .finalized: return blockchain.head
        case .earliest: return try chain.canonicalHeader(0)
        case .number(let number): return try chain.canonicalHeader(number)
        case .hash(let hash): return try chain.header(hash)
        }
    }

    func header(hash: Hash32) async throws -> BlockHeader? { try chain.header(hash) }
    func block(hash: Hash32) async throws -> Block? { try recent.block(hash) { try chain.block(hash) } }
    func receipts(blockHash: Hash32) async throws -> [Receipt]? { try recent.receipts(blockHash) { try chain.receipts(blockHash) } }
    func transactionLocation(_ hash: Hash32) async throws -> TransactionLocation? { try chain.transactionLocation(hash) }

    /// Senders through the pool's cache: blocks this node imported or built recently cost no recovery.
    func senders(of block: Block) async throws -> [Address] {
        try recent.senders(block.hash) { try block.transactions.map { try txPool.senderCache.recovered($0).sender } }
    }

    func updates() async -> AsyncStream<ChainUpdate> {
        .relaying(await blockchain.headEvents()) { ChainUpdate(block: $0.block, receipts: $0.receipts, removed: $0.removed) }
    }
}
