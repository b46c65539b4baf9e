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
import SankofaStorage
import SankofaTxPool
import SankofaRPC
import ServiceLifecycle

/// Why the node could not start; one line an operator can act on.
public struct NodeError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A running node's parts, wired together: store → chain → consensus → blockchain → pool → services.
public final class Node: Sendable {
    public let config: NodeConfig
    public let genesis: GenesisFile
    public let store: RocksDBStore
    public let chain: ChainStore
    public let engine: CliqueEngine
    public let blockchain: Blockchain
    public let pool: TransactionPool
    public let signer: PrivateKey?
    let logger: Logger
    let metrics: NodeMetrics
    let registry: PrometheusCollectorRegistry
    /// Seal as soon as transactions arrive (period 0: the dev chain).
    let sealOnTransaction: Bool
    /// The dev chain: ready without peers.
    let isDev: Bool
    let filters = FilterRegistry()
    let senderCache = Locked<[Hash32: [Address]]>([:])

    /// Opens (or creates) the node's database and chain.
    public init(config: NodeConfig, genesisJSON: Data, signer: PrivateKey?, logger: Logger,
                registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), isDev: Bool = false) throws {
        self.isDev = isDev
        guard config.mode != .light else {
            throw NodeError("light mode is not available yet: run a validator or replica")
        }
        guard let dataPath = config.dataPath else { throw NodeError("--data-path is required") }
        self.config = config
        self.logger = logger
        self.signer = signer
        self.registry = registry
        self.metrics = NodeMetrics()
        do { genesis = try GenesisFile(json: genesisJSON) } catch { throw NodeError("genesis: \(error)") }
        guard case .clique(let period, let epoch) = genesis.consensus else {
            throw NodeError("QBFT genesis files are not supported yet: use a clique genesis")
        }
        do {
            try FileManager.default.createDirectory(atPath: dataPath, withIntermediateDirectories: true)
        } catch {
            throw NodeError("cannot create data path \(dataPath): \(error.localizedDescription)")
        }
        store = try RocksDBStore(path: (dataPath as NSString).appendingPathComponent("database"))
        chain = try ChainStore(store: store)
        let genesisBlock = try Genesis.initialize(genesis, chain: chain)
        engine = CliqueEngine(config: CliqueConfig(period: period, epoch: epoch), store: StoredCliqueSnapshots(store: store))
        let executor = BlockExecutor(processor: TransactionProcessor(registry: SystemContracts.registry, chainId: genesis.chainId))
        let retention: StateRetention = config.pruningEnabled ? .recent(blocks: config.pruningBlocksRetained) : .archive
        blockchain = try Blockchain(chain: chain, engine: engine, executor: executor, retention: retention)
        guard let head = try chain.headHeader() else { throw NodeError("database has no head block") }
        var poolConfig = TxPoolConfig(chainId: genesis.chainId)
        poolConfig.minGasPrice = config.minGasPrice
        if let path = config.permissionsAccountsConfigFile {
            poolConfig.accountAllowlist = try AccountAllowlist.load(path: path)
            logger.info("Account allowlist: \(poolConfig.accountAllowlist?.count ?? 0) senders")
        }
        pool = TransactionPool(config: poolConfig, state: try HeadStateReader(store: store, root: head.stateRoot),
                               blockGasLimit: head.gasLimit)
        sealOnTransaction = period == 0
        logger.info("Chain \(genesis.chainId) genesis \(genesisBlock.hash.hex) head #\(head.number) \(head.hash.hex.prefix(10))…")
    }

    /// The long-running parts, for a `ServiceGroup`.
    public func services() -> [any Service] {
        var services: [any Service] = [HeadFollower(blockchain: blockchain, pool: pool, store: store, metrics: metrics, logger: logger)]
        if config.mode == .validator, let signer {
            let store = self.store
            services.append(BlockProducer(blockchain: blockchain, pool: pool, key: signer, period: engine.config.period,
                                          logger: logger, metrics: metrics, sealOnTransaction: sealOnTransaction,
                                          headState: { try HeadStateReader(store: store, root: $0.stateRoot) }))
        }
        if config.rpcHTTPEnabled {
            var settings = RPCHTTPSettings()
            settings.host = config.rpcHTTPHost
            settings.port = Int(config.rpcHTTPPort)
            settings.hostAllowlist = config.hostAllowlist
            settings.corsOrigins = config.rpcHTTPCorsOrigins
            let dispatcher = RPCDispatcher(table: rpcTable, enabledNamespaces: Set(config.rpcHTTPAPI))
            services.append(RPCHTTPServer(settings: settings, dispatcher: dispatcher, health: backend, logger: logger))
        }
        if config.rpcWSEnabled {
            let dispatcher = RPCDispatcher(table: rpcTable, enabledNamespaces: Set(config.rpcWSAPI))
            services.append(RPCWebSocketServer(host: config.rpcWSHost, port: Int(config.rpcWSPort), dispatcher: dispatcher,
                                               hostAllowlist: config.hostAllowlist, logger: logger))
        }
        if config.metricsEnabled {
            services.append(MetricsServer(registry: registry, host: config.metricsHost, port: Int(config.metricsPort), logger: logger))
        }
        return services
    }

    /// The pool's view of the current head (for tools and benchmarks that drive the node directly).
    public func headStateReader() throws -> any PoolStateReader {
        guard let head = try chain.headHeader() else { throw NodeError("no head block") }
        return try HeadStateReader(store: store, root: head.stateRoot)
    }

    /// What RPC reads through.
    var backend: FullBackend {
        FullBackend(chain: chain, blockchain: blockchain, txPool: pool, engine: engine, chainId: genesis.chainId,
                    nodeKey: signer, config: config, isDev: isDev, senderCache: senderCache)
    }

    /// Every RPC method, shared by HTTP and WebSocket.
    var rpcTable: RPCMethodTable {
        let full = backend
        let rpc = RPCBackend(chain: full, state: full, pool: full, node: full, consensus: full)
        var table = RPCMethodTable()
        table.register(EthNamespace(backend: rpc, filters: filters).methods)
        table.register(Web3NetNamespaces(backend: rpc).methods)
        table.register(TxPoolNamespace(backend: rpc).methods)
        table.register(AdminNamespace(backend: rpc).methods)
        table.register(CliqueNamespace(backend: rpc).methods)
        table.register(SankofaNamespace(backend: rpc).methods)
        table.register(SubscriptionNamespace(backend: rpc).methods)
        return table
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

/// Keeps the pool and metrics in step with the chain head.
struct HeadFollower: Service, CustomStringConvertible {
    var description: String { "HeadFollower" }
    let blockchain: Blockchain
    let pool: TransactionPool
    let store: RocksDBStore
    let metrics: NodeMetrics
    let logger: Logger

    func run() async throws {
        let events = await blockchain.headEvents()
        // Cancellation (on graceful shutdown) ends the stream's iteration.
        try? await cancelWhenGracefulShutdown {
            for await event in events {
                let header = event.block.header
                // The producer already told the pool about its own blocks; an event that is no longer the head
                // would move the pool back to an older state.
                if await blockchain.head.hash == header.hash, let reader = try? HeadStateReader(store: store, root: header.stateRoot) {
                    await pool.newHead(state: reader, blockGasLimit: header.gasLimit)
                }
                if !event.removed.isEmpty {
                    let orphaned = event.removed.flatMap(\.transactions).compactMap { try? $0.recovered() }
                    await pool.reinject(orphaned)
                    logger.warning("Reorg: \(event.removed.count) blocks replaced, new head #\(header.number)")
                }
                let status = await pool.status
                metrics.pool(pending: status.pending, queued: status.queued)
            }
        }
    }
}
