import Foundation
import Logging
import Prometheus
import SankofaBlockchain
import SankofaChain
import SankofaConsensus
import SankofaCrypto
import SankofaExecution
import SankofaLight
import SankofaP2P
import SankofaPrimitives
import SankofaRPC
import SankofaState
import SankofaStorage
import ServiceLifecycle

/// An edge site's node (`--mode light`, `--tier edge`): verified headers, the canonical index and the consensus
/// engine's validator history in RocksDB, nothing else. Every query is answered from full nodes over `sfl/1` and
/// checked against a verified header; system-contract calls run locally over proven storage.
public final class LightNode: Sendable {
    public let config: NodeConfig
    public let genesis: GenesisFile
    let store: RocksDBStore
    let chain: ChainStore
    let consensus: NodeConsensus
    let client: LightClient
    let network: NodeNetwork
    let checkpoint: Hash32?
    let logger: Logger
    let registry: PrometheusCollectorRegistry
    let filters: FilterRegistry
    let rpcAuthenticator: RPCAuthenticator?

    public init(config: NodeConfig, genesis: GenesisFile, key: PrivateKey, logger: Logger,
                registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) throws {
        guard let dataPath = config.dataPath else { throw NodeError.missingFlag("--data-path") }
        self.config = config
        self.genesis = genesis
        self.logger = logger
        self.registry = registry
        filters = FilterRegistry(maxLogsRange: config.rpcLimits.maxLogsRange)
        rpcAuthenticator = try Node.makeRPCAuthenticator(config)
        checkpoint = try config.lightCheckpoint.map { text throws(ConfigError) in
            guard let hash = try? Hash32(hex: text) else { throw ConfigError("--light-checkpoint must be a 32-byte block hash, not \(text)") }
            return hash
        }
        (store, chain, consensus) = try Node.openChain(dataPath: dataPath, genesis: genesis)
        if case .qbft(let verifier) = consensus, verifier.config.usesValidatorContract {
            store.close()
            throw NodeError.modeNotAvailable("light mode cannot follow a QBFT chain whose validators live in the Governance "
                + "contract (config.qbft.validatorcontractaddress): run a replica instead")
        }
        let clientBox = Locked<LightClient?>(nil)
        network = try NodeNetwork(config: config, key: key, logger: logger, protocols: [LightProtocol()],
                                  onMessage: { peer, message in clientBox.withLock { $0 }?.receive(message, from: peer) },
                                  onPeer: { change in clientBox.withLock { $0 }?.peerChanged(change) })
        let manager = network.manager
        client = try LightClient(configuration: .init(networkId: genesis.chainId), chain: chain, engine: consensus.engine,
                                 logger: logger, ban: { key in
                                     manager.penalise(key, points: manager.configuration.banThreshold)
                                 })
        clientBox.withLock { $0 = client }
        let head = try client.head()
        logger.info("Light node on chain \(genesis.chainId) (\(consensus.name)): verified head #\(head.number) \(head.hash.hex.prefix(10))…")
    }

    /// What RPC reads through.
    var backend: LightBackend {
        LightBackend(client: client, consensus: consensus, chainId: genesis.chainId, config: config, network: network)
    }

    var rpcTable: RPCMethodTable {
        let light = backend
        return .node(backend: RPCBackend(chain: light, state: light, pool: light, node: light, consensus: light, peers: network),
                     filters: filters)
    }

    /// The long-running parts, for a `ServiceGroup`.
    public func services() -> [any Service] {
        var services: [any Service] = [P2PService(network: network, logger: logger),
                                       LightSyncService(client: client, checkpoint: checkpoint, epoch: consensus.epochLength,
                                                        logger: logger)]
        services += Node.endpointServices(config: config, table: rpcTable, health: backend, authenticator: rpcAuthenticator,
                                          registry: registry, store: store, logger: logger)
        return services
    }

    /// Runs until SIGINT or SIGTERM, then shuts down cleanly.
    public func run() async throws {
        let group = ServiceGroup(configuration: .init(
            services: services().map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        defer { store.close() }
        try await group.run()
        logger.info("Stopped cleanly")
    }
}

/// Runs the header sync until graceful shutdown, first adopting the `--light-checkpoint` header on an empty chain.
struct LightSyncService: Service {
    let client: LightClient
    let checkpoint: Hash32?
    let epoch: UInt64?
    let logger: Logger

    func run() async throws {
        if let checkpoint {
            do {
                try await client.startFromCheckpoint(checkpoint, epoch: epoch)
            } catch {
                throw LightError.checkpoint("\(error)")
            }
        }
        await cancelWhenGracefulShutdown { await client.runHeaderSync() }
    }
}
