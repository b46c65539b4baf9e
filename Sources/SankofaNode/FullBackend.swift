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
import SankofaTrie
import SankofaTxPool

/// What RPC reads on a full node (validator or replica): the chain store, the head, state at any kept block,
/// the pool and the Clique engine.
struct FullBackend: ChainQueries, StateQueries, TransactionSubmitter, NodeQueries, ConsensusAdmin, HealthProvider {
    let chain: ChainStore
    let blockchain: Blockchain
    let txPool: TransactionPool
    let engine: CliqueEngine
    let chainId: UInt64
    let nodeKey: PrivateKey?
    let config: NodeConfig
    /// The dev chain is ready without peers.
    let isDev: Bool
    /// Recovered senders per block hash, shared by every request (recovery dominates full-block requests).
    let senderCache: Locked<[Hash32: [Address]]>

    // MARK: ChainQueries

    func headHeader() async throws -> BlockHeader { await blockchain.head }

    func header(_ tag: BlockTag) async throws -> BlockHeader? {
        switch tag {
        case .latest, .pending, .safe, .finalized: return await blockchain.head
        case .earliest: return try chain.canonicalHeader(0)
        case .number(let number): return try chain.canonicalHeader(number)
        case .hash(let hash): return try chain.header(hash)
        }
    }

    func header(hash: Hash32) async throws -> BlockHeader? { try chain.header(hash) }
    func block(hash: Hash32) async throws -> Block? { try chain.block(hash) }
    func receipts(blockHash: Hash32) async throws -> [Receipt]? { try chain.receipts(blockHash) }
    func transactionLocation(_ hash: Hash32) async throws -> TransactionLocation? { try chain.transactionLocation(hash) }

    func senders(of block: Block) async throws -> [Address] {
        if let known = senderCache.withLock({ $0[block.hash] }) { return known }
        let recovered = try block.transactions.map { try $0.recoverSender() }
        senderCache.withLock { cache in
            if cache.count >= 4_096 { cache.removeAll(keepingCapacity: true) }   // bounded: blocks are re-read rarely
            cache[block.hash] = recovered
        }
        return recovered
    }

    func updates() async -> AsyncStream<ChainUpdate> {
        let events = await blockchain.headEvents()
        return AsyncStream { continuation in
            let task = Task {
                for await event in events {
                    continuation.yield(ChainUpdate(block: event.block, receipts: event.receipts, removed: event.removed))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    // MARK: StateQueries

    /// State through a point-in-time view of the store, so a block committed during a call cannot mix into it.
    func state(at header: BlockHeader) throws -> WorldState {
        try WorldState(reader: chain.store.snapshot(), root: header.stateRoot, snapshot: true)
    }

    /// Reads state, turning a pruned trie into an error that says how to get history.
    func reading<T>(_ header: BlockHeader, _ body: (WorldState) throws -> T) throws -> T {
        do {
            return try body(try state(at: header))
        } catch let error as TrieError {
            if case .missingNode = error {
                throw RPCError.server("state of block \(header.number) is not available (pruned); run with --pruning-enabled=false to keep history")
            }
            throw error
        }
    }

    func account(_ address: Address, at header: BlockHeader) async throws -> Account {
        try reading(header) { try $0.account(address) }
    }

    func storage(_ address: Address, _ key: Hash32, at header: BlockHeader) async throws -> [UInt8] {
        try reading(header) { try $0.storage(address, key) }
    }

    func proof(_ address: Address, slots: [Hash32], at header: BlockHeader) async throws -> AccountProof {
        try reading(header) { try $0.proof(address, slots: slots) }
    }

    func call(_ request: CallRequest, at header: BlockHeader) async throws -> CallOutcome {
        let simulator = CallSimulator(registry: SystemContracts.registry, chainId: chainId)
        return try reading(header) { state in
            try simulator.call(to: request.to, from: request.from, data: request.data, value: request.value,
                               gas: request.gas, header: header, storage: WorldStateContractStorage(state))
        }
    }

    func isSystemContract(_ address: Address) -> Bool { SystemContracts.registry.isSystemContract(address) }

    // MARK: TransactionSubmitter

    func submit(_ raw: [UInt8]) async throws -> Hash32 {
        let tx: Transaction
        do { tx = try Transaction(raw: raw) } catch { throw RPCError.server(error.description) }
        do { return try await txPool.add(tx) } catch { throw RPCError.server(error.description) }
    }

    func pendingTransaction(_ hash: Hash32) async -> RecoveredTransaction? { await txPool.transaction(hash) }
    func nextNonce(_ address: Address) async -> UInt64 { await txPool.nextNonce(for: address) }
    func poolStatus() async -> (pending: Int, queued: Int) { await txPool.status }

    func poolContent() async -> (pending: [Address: [RecoveredTransaction]], queued: [Address: [RecoveredTransaction]]) {
        await txPool.content()
    }

    func pendingHashes() async -> AsyncStream<Hash32> { await txPool.pendingTransactionStream() }

    // MARK: NodeQueries

    var clientVersion: String { "sankofa/v0.1.0/linux-x86_64/swift6" }
    var mode: String { config.mode.rawValue }
    var tier: String {
        switch config.mode {
        case .validator: "core"
        case .replica: "regional"
        case .light: "edge"
        }
    }
    var enode: String {
        guard let nodeKey else { return "" }
        return "enode://\(Hex.encode(nodeKey.publicKey.rawBytes, prefix: false))@\(config.p2pHost):\(config.p2pPort)"
    }
    var peerCount: Int { 0 }
    var minGasPrice: UInt256 { config.minGasPrice }

    // MARK: ConsensusAdmin

    var consensusName: String { "clique" }
    func signers(at header: BlockHeader) async throws -> [Address] { try engine.signers(at: header.hash, chain: StoredHeaders(chain: chain)) }
    func propose(_ address: Address, authorize: Bool) async { engine.propose(address, authorize: authorize) }
    func discard(_ address: Address) async { engine.discard(address) }
    func proposals() async -> [Address: Bool] { engine.proposals }

    // MARK: HealthProvider

    /// Ready on the dev chain at once, and elsewhere once at least one peer is connected. Nothing here knows a
    /// better head than our own yet: "within N blocks of the best known head" arrives with sync.
    func isReady() async -> Bool {
        isDev || peerCount > 0
    }
}
