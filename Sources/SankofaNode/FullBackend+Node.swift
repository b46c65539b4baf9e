import SankofaBlockchain
import SankofaChain
import SankofaClique
import SankofaContracts
import SankofaCrypto
import SankofaExecution
import SankofaP2P
import SankofaPrimitives
import SankofaQBFT
import SankofaRPC
import SankofaState
import SankofaStorage
import SankofaSync
import SankofaTrie
import SankofaTxPool

extension FullBackend: NodeQueries {
    var clientVersion: String { P2PHost.clientId }
    var mode: String { config.mode.rawValue }
    var tier: String {
        switch config.mode {
        case .validator: "core"
        case .replica: "regional"
        case .light: "edge"
        }
    }
    var enode: String {
        if let enode = network?.host.enode { return enode.description }
        guard let nodeKey else { return "" }
        return "enode://\(Hex.encode(nodeKey.publicKey.rawBytes, prefix: false))@\(config.p2pHost):\(config.p2pPort)"
    }
    var peerCount: Int { network?.peerCount ?? 0 }
    var minGasPrice: UInt256 { config.minGasPrice }

    func validatorLease() async -> ValidatorLeaseInfo? {
        guard let lease else { return nil }
        let status = await lease.current
        return ValidatorLeaseInfo(role: status.role.rawValue, key: lease.key, leaseId: status.leaseId,
                                  secondsLeft: status.secondsLeft, holder: status.holder, reason: status.reason)
    }

    func syncStatus() async -> SyncStatus? {
        sync?.progress.map { SyncStatus(startingBlock: $0.startingBlock, currentBlock: $0.currentBlock, highestBlock: $0.highestBlock) }
    }
}

extension FullBackend: ConsensusAdmin {
    var consensusName: String { consensus.name }

    /// Clique: the signers after `header` (its snapshot). QBFT: the validators `header` lists in its extraData, as
    /// Besu's `qbft_getValidatorsByBlockNumber` answers; in contract mode, as Besu's `getValidatorsForBlock`, the
    /// Governance contract's list in `header`'s state (which the next header will list).
    func signers(at header: BlockHeader) async throws -> [Address] {
        switch consensus {
        case .clique(let engine): return try engine.signers(at: header.hash, chain: StoredHeaders(chain: chain))
        case .qbft(let verifier) where verifier.config.usesValidatorContract:
            do { return try verifier.validators(after: header, chain: StoredHeaders(chain: chain)) } catch {
                // Pruned state: the canonical child lists the same validators (its import checked them against
                // the contract).
                guard header.number < UInt64.max, let child = try chain.canonicalHeader(header.number + 1),
                      child.parentHash == (try QBFTBlockHashing.onChainHash(header)) else { throw error }
                return try QBFTExtraData(rlp: child.extraData).validators
            }
        case .qbft: return try QBFTExtraData(rlp: header.extraData).validators
        }
    }

    var validatorVotesRefusal: String? { consensus.validatorVotesRefusal }

    func propose(_ address: Address, authorize: Bool) async {
        switch consensus {
        case .clique(let engine): engine.propose(address, authorize: authorize)
        case .qbft: qbft?.vote(address, add: authorize)
        }
    }

    func discard(_ address: Address) async {
        switch consensus {
        case .clique(let engine): engine.discard(address)
        case .qbft: qbft?.vote(address, add: nil)
        }
    }

    func author(of header: BlockHeader) async throws -> Address { try consensus.engine.author(of: header) }

    func proposals() async -> [Address: Bool] {
        switch consensus {
        case .clique(let engine): return engine.proposals
        case .qbft: return qbft?.status.withLock { $0.pendingVotes } ?? [:]
        }
    }
}

extension FullBackend: HealthProvider {
    /// The dev chain is ready at once; other nodes with enough peers and close enough to the best head a peer has
    /// announced (Besu's readiness rule).
    func isReady(_ check: ReadinessCheck) async -> Bool {
        guard !isDev else { return true }
        guard peerCount >= check.minPeers else { return false }
        let head = blockchain.head.number
        let best = sync?.bestKnownNumber ?? head
        return best <= head || best - head <= check.maxBlocksBehind
    }
}
