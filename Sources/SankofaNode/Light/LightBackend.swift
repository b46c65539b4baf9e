import SankofaBlockchain
import SankofaChain
import SankofaContracts
import SankofaExecution
import SankofaLight
import SankofaP2P
import SankofaPrimitives
import SankofaQBFT
import SankofaRPC
import SankofaState

/// What RPC reads on a light node: verified headers from its own store, everything else from full nodes through
/// the `LightClient`, checked against those headers. The method table is a full node's; what needs a node's own
/// state or pool says so.
struct LightBackend {
    let client: LightClient
    let consensus: NodeConsensus
    let chainId: UInt64
    let config: NodeConfig
    let network: NodeNetwork

    static let poolRefusal = "a light node keeps no transaction pool: ask a full node"
}

extension LightBackend: ChainQueries {
    func headHeader() throws -> BlockHeader { try client.head() }

    func header(_ tag: BlockTag) async throws -> BlockHeader? {
        switch tag {
        case .latest, .pending, .safe, .finalized: return try client.head()
        case .earliest: return try client.chain.canonicalHeader(0)
        case .number(let number): return try client.chain.canonicalHeader(number)
        case .hash(let hash): return try client.chain.header(hash)
        }
    }

    func header(hash: Hash32) async throws -> BlockHeader? { try client.chain.header(hash) }
    func block(hash: Hash32) async throws -> Block? { try await answering { try await client.block(hash) } }
    func receipts(blockHash: Hash32) async throws -> [Receipt]? { try await answering { try await client.receipts(blockHash) } }
    func transactionLocation(_ hash: Hash32) async throws -> TransactionLocation? {
        try await answering { try await client.transactionLocation(hash) }
    }

    func senders(of block: Block) async throws -> [Address] { try client.senders(of: block) }

    var logSubscriptionRefusal: String? {
        "a light node's chain updates carry headers only: subscribe to logs on a full node, or poll eth_getLogs here"
    }

    /// New verified heads, as header-only blocks (enough for `newHeads`).
    func updates() async -> AsyncStream<ChainUpdate> {
        .relaying(client.headerUpdates()) { ChainUpdate(block: Block(header: $0, transactions: [], ommers: []), receipts: [], removed: []) }
    }

    /// Runs a light query, turning "no server could answer" into a JSON-RPC server error that says so.
    func answering<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let error as LightError { throw RPCError.server(error.description) }
    }
}

extension LightBackend: StateQueries {
    func account(_ address: Address, at header: BlockHeader) async throws -> Account {
        try await answering { try await client.proof(address, slots: [], at: header).account }
    }

    func storage(_ address: Address, _ key: Hash32, at header: BlockHeader) async throws -> [UInt8] {
        try await answering { try await client.proof(address, slots: [key], at: header).storageProofs.first?.value ?? [] }
    }

    func proof(_ address: Address, slots: [Hash32], at header: BlockHeader) async throws -> AccountProof {
        try await answering {
            // At most `maxProofSlots` slots per sfl request; the account path comes with each.
            guard slots.count > LightMessage.maxProofSlots else { return try await client.proof(address, slots: slots, at: header) }
            var parts: [AccountProof] = []
            for start in stride(from: 0, to: slots.count, by: LightMessage.maxProofSlots) {
                let chunk = Array(slots[start..<min(start + LightMessage.maxProofSlots, slots.count)])
                parts.append(try await client.proof(address, slots: chunk, at: header))
            }
            return AccountProof(address: address, accountProof: parts[0].accountProof, account: parts[0].account,
                                storageProofs: parts.flatMap(\.storageProofs))
        }
    }

    func call(_ request: CallRequest, at header: BlockHeader) async throws -> CallOutcome {
        let simulator = CallSimulator(registry: SystemContracts.registry, chainId: chainId)
        return try await answering {
            try await client.call(simulator, to: request.to, from: request.from, data: request.data, value: request.value,
                                  gas: request.gas, at: header)
        }
    }

    func isSystemContract(_ address: Address) -> Bool { SystemContracts.registry.isSystemContract(address) }
}

extension LightBackend: TransactionSubmitter {
    /// Forwarded to a full node's pool, after the checks this node can make itself (encoding, signature, EIP-155).
    func submit(_ raw: [UInt8]) async throws -> Hash32 {
        let tx = try config.submittedTransaction(raw, chainId: chainId)
        let sender: Address
        do { sender = try tx.recoverSender() } catch { throw RPCError.server(error.description) }
        if let refusal = try await answering({ try await client.send(tx, from: sender) }) { throw RPCError.server(refusal) }
        return tx.hash
    }

    func pendingTransaction(_ hash: Hash32) async -> RecoveredTransaction? { nil }

    /// The proven nonce at the verified head (a light node does not see pending transactions).
    func nextNonce(_ address: Address) async throws -> UInt64 {
        try await account(address, at: try client.head()).nonce
    }

    func poolStatus() async -> (pending: Int, queued: Int) { (0, 0) }
    func poolContent() async -> (pending: [Address: [RecoveredTransaction]], queued: [Address: [RecoveredTransaction]]) { ([:], [:]) }
    func pendingHashes() async -> AsyncStream<Hash32> { AsyncStream { $0.finish() } }
}

extension LightBackend: NodeQueries {
    var clientVersion: String { P2PHost.clientId }
    var mode: String { NodeMode.light.rawValue }
    var tier: String { "edge" }
    var enode: String { network.host.enode?.description ?? "" }
    var peerCount: Int { network.peerCount }
    var minGasPrice: UInt256 { config.minGasPrice }

    /// Syncing while a server announced a head more than one block beyond the verified one.
    func syncStatus() async -> SyncStatus? {
        guard let head = try? client.head() else { return nil }
        let best = client.servers.compactMap { $0.announcedHead?.number }.max() ?? head.number
        guard best > head.number + 1 else { return nil }
        return SyncStatus(startingBlock: 0, currentBlock: head.number, highestBlock: best)
    }
}

extension LightBackend: ConsensusAdmin {
    var consensusName: String { consensus.name }

    func signers(at header: BlockHeader) async throws -> [Address] {
        switch consensus {
        case .clique(let engine): return try engine.signers(at: header.hash, chain: StoredHeaders(chain: client.chain))
        case .qbft: return try QBFTExtraData(rlp: header.extraData).validators
        }
    }

    var validatorVotesRefusal: String? { "a light node does not take part in consensus: propose validator votes on a validator" }
    func propose(_ address: Address, authorize: Bool) async {}
    func discard(_ address: Address) async {}
    func proposals() async -> [Address: Bool] { [:] }
    func author(of header: BlockHeader) async throws -> Address { try consensus.engine.author(of: header) }
}

extension LightBackend: HealthProvider {
    /// Ready once header-synced (within `maxBlocksBehind` of the best head a server announced) with enough servers.
    func isReady(_ check: ReadinessCheck) async -> Bool {
        guard client.servers.count >= max(check.minPeers, 1), let head = try? client.head() else { return false }
        let best = client.servers.compactMap { $0.announcedHead?.number }.max() ?? head.number
        return best <= head.number || best - head.number <= check.maxBlocksBehind
    }
}
