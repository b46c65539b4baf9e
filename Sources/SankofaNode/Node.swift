import Foundation
import Logging
import Metrics
import Prometheus
import SankofaBlockchain
import SankofaChain
import SankofaClique
import SankofaConsensus
import SankofaContracts
import SankofaCrypto
import SankofaExecution
import SankofaPrimitives
import SankofaState
import SankofaP2P
import SankofaStorage
import SankofaSync
import SankofaTxPool
import SankofaRPC
import ServiceLifecycle

/// A running node's parts, wired together: store → chain → consensus → blockchain → pool → services.
public final class Node: Sendable {
    public let config: NodeConfig
    public let genesis: GenesisFile
    public let store: RocksDBStore
    public let chain: ChainStore
    /// The engine the genesis selects.
    let consensus: NodeConsensus
    public let blockchain: Blockchain
    public let pool: TransactionPool
    /// The node key: P2P identity (and the validator key unless `--validator-private-key-file` names another).
    public let signer: PrivateKey?
    /// The key that seals or votes.
    public let validatorKey: PrivateKey?
    /// The etcd lease that decides whether this member of a hot-standby group signs (`--validator-lease-*`).
    let validatorLease: ValidatorLease?
    let logger: Logger
    let metrics: NodeMetrics
    let registry: PrometheusCollectorRegistry
    /// Seal as soon as transactions arrive (Clique period 0: the dev chain).
    let sealOnTransaction: Bool
    /// The QBFT state machine, when this node validates a QBFT chain.
    let qbftService: QBFTService?
    /// The dev chain: ready without peers.
    let isDev: Bool
    let filters: FilterRegistry
    /// The last canonical blocks, decoded, for RPC.
    let recentBlocks = RecentBlocks()
    /// P2P (host, peer manager, node allow-list); nil on the dev chain, which runs alone.
    let network: NodeNetwork?
    /// eth/68 (serving, gossip, block propagation) and full sync; nil on the dev chain.
    let eth: EthHandler?
    let sync: ChainSync?
    /// Serves light clients (`sfl/1`); nil on the dev chain.
    let lightServer: LightServer?
    /// JWT checks for JSON-RPC when `--rpc-http/ws-authentication-enabled` (see `Node+Auth.swift`).
    let rpcAuthenticator: RPCAuthenticator?

    /// Opens (or creates) the node's database and chain.
    public init(config: NodeConfig, genesis: GenesisFile, signer: PrivateKey?, validatorKey: PrivateKey? = nil, logger: Logger,
                registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), isDev: Bool = false) throws {
        self.isDev = isDev
        guard config.mode != .light else {
            throw NodeError.modeNotAvailable("a light node runs as LightNode, not Node")
        }
        guard let dataPath = config.dataPath else { throw NodeError.missingFlag("--data-path") }
        self.config = config
        filters = FilterRegistry(maxLogsRange: config.rpcLimits.maxLogsRange)
        self.logger = logger
        self.signer = signer
        self.validatorKey = validatorKey ?? signer
        self.registry = registry
        self.metrics = NodeMetrics()
        self.genesis = genesis
        rpcAuthenticator = try Self.makeRPCAuthenticator(config)
        (store, chain, consensus) = try Self.openChain(dataPath: dataPath, genesis: genesis)
        guard let genesisBlock = try chain.canonicalHeader(0) else { throw NodeError.noHead }
        let executor = BlockExecutor(processor: TransactionProcessor(registry: SystemContracts.registry, chainId: genesis.chainId))
        let retention: StateRetention = config.pruningEnabled ? .recent(blocks: config.pruningBlocksRetained) : .archive
        blockchain = try Blockchain(chain: chain, engine: consensus.engine, executor: executor, retention: retention)
        guard let head = try chain.headHeader() else { throw NodeError.noHead }
        var poolConfig = TxPoolConfig(chainId: genesis.chainId)
        poolConfig.minGasPrice = config.minGasPrice
        poolConfig.queuedLifetime = .seconds(config.txPoolRetentionHours * 3_600)
        poolConfig.maxPending = config.txPoolMaxSize
        if let path = config.accountsAllowlistPath {
            poolConfig.accountAllowlist = try AccountAllowlist.load(path: path)
            logger.info("Account allowlist: \(poolConfig.accountAllowlist?.count ?? 0) senders")
        }
        pool = TransactionPool(config: poolConfig, state: try HeadStateReader(store: store, root: head.stateRoot),
                               blockGasLimit: head.gasLimit)
        if case .clique(let engine) = consensus { sealOnTransaction = engine.config.period == 0 } else { sealOnTransaction = false }
        // QBFT validators gossip over `istanbul/100` once the P2P host exists (QBFT/PeerGossip.swift), to every
        // `istanbul` peer, so a validator key other than the node key (a hot-standby group's) is reached too.
        validatorLease = try Self.makeValidatorLease(config: config, nodeKey: signer, store: store,
                                                     logger: logger, metrics: metrics)
        let gossip = PeerGossip()
        if case .qbft(let verifier) = consensus, config.mode == .validator, let validatorKey = self.validatorKey {
            qbftService = QBFTService(blockchain: blockchain, headers: StoredHeaders(chain: chain), pool: pool,
                                      verifier: verifier, key: validatorKey, logger: logger, metrics: metrics, gossip: gossip,
                                      signingGuard: validatorLease)
        } else {
            qbftService = nil
        }
        // P2P: every node but the dev chain listens and dials (Node+P2P.swift), runs eth/68 and syncs from its peers.
        if !isDev, let signer {
            let eth = try EthHandler(configuration: .init(networkId: genesis.chainId), blockchain: blockchain, pool: pool,
                                     head: head, logger: logger)
            let light = LightServer(eth: eth, logger: logger)
            let service = qbftService
            let network = try NodeNetwork(
                config: config, key: signer, logger: logger,
                protocols: [EthProtocol(), LightProtocol()] + consensus.p2pProtocols,
                onMessage: { peer, message in
                    switch message.protocolName {
                    case EthProtocol.capability.name: eth.receive(message, from: peer)
                    case LightProtocol.capability.name: light.receive(message, from: peer)
                    default: service?.receive(message)
                    }
                },
                onPeer: { change in
                    eth.peerChanged(change)
                    light.peerChanged(change)
                    if case .connected(let peer) = change { service?.peerConnected(peer) }
                })
            lightServer = light
            gossip.attach(network.host)
            self.network = network
            self.eth = eth
            sync = ChainSync(handler: eth, logger: logger)
        } else {
            network = nil
            eth = nil
            sync = nil
            lightServer = nil
        }
        logger.info("Chain \(genesis.chainId) (\(consensus.name)) genesis \(genesisBlock.hash.hex) head #\(head.number) \(head.hash.hex.prefix(10))…")
    }

    /// Opens (or creates) the database under `dataPath`, the chain in it and the engine the genesis selects, and
    /// writes or checks the genesis block: what every kind of node starts from.
    static func openChain(dataPath: String, genesis: GenesisFile) throws -> (RocksDBStore, ChainStore, NodeConsensus) {
        do {
            try FileManager.default.createDirectory(atPath: dataPath, withIntermediateDirectories: true)
        } catch {
            throw NodeError.dataPath(path: dataPath, reason: error.localizedDescription)
        }
        let store = try RocksDBStore(path: (dataPath as NSString).appendingPathComponent("database"))
        let chain = try ChainStore(store: store)
        let consensus = NodeConsensus(genesis: genesis, store: store)
        _ = try Genesis.initialize(genesis, validators: try consensus.genesisValidators(genesis), chain: chain)
        return (store, chain, consensus)
    }

    /// The pool's view of the current head (for tools and benchmarks that drive the node directly).
    public func headStateReader() throws -> any PoolStateReader {
        guard let head = try chain.headHeader() else { throw NodeError.noHead }
        return try HeadStateReader(store: store, root: head.stateRoot)
    }

    /// Runs until SIGINT or SIGTERM, then shuts down cleanly (RocksDB flushes its write-ahead log on close).
    public func run() async throws {
        let group = ServiceGroup(configuration: .init(
            services: services().map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        defer { store.close() }
        try await group.run()
        logger.info("Stopped cleanly")
    }
}
