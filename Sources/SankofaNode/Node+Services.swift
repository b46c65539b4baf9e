import Logging
import Prometheus
import SankofaRPC
import SankofaStorage
import ServiceLifecycle

extension Node {
    /// The long-running parts, for a `ServiceGroup`.
    public func services() -> [any Service] {
        var services: [any Service] = [HeadFollower(blockchain: blockchain, pool: pool, store: store, metrics: metrics,
                                                                recent: recentBlocks, logger: logger)]
        if config.mode == .validator, let validatorKey, case .clique(let engine) = consensus {
            let store = self.store
            services.append(BlockProducer(blockchain: blockchain, pool: pool, key: validatorKey, period: engine.config.period,
                                          logger: logger, metrics: metrics, sealOnTransaction: sealOnTransaction,
                                          signingGuard: validatorLease,
                                          headState: { try HeadStateReader(store: store, root: $0.stateRoot) }))
        }
        if let validatorLease { services.append(ValidatorLeaseService(lease: validatorLease)) }
        if let qbftService { services.append(qbftService) }
        services += Self.endpointServices(config: config, table: rpcTable, health: backend, authenticator: rpcAuthenticator,
                                          registry: registry, store: store, logger: logger)
        if let network { services.append(P2PService(network: network, logger: logger)) }
        if let eth, let sync, let lightServer {
            services.append(SyncService(eth: eth, sync: sync, light: lightServer, wantsWholeBlock: consensus.wantsWholeBlock))
        }
        return services
    }
}

extension Node {
    /// The JSON-RPC endpoints (HTTP, WebSocket) and the metrics endpoint the flags ask for (with `store`'s memory among
    /// the metrics); every kind of node serves them the same way.
    static func endpointServices(config: NodeConfig, table: RPCMethodTable, health: any HealthProvider,
                                 authenticator: RPCAuthenticator?, registry: PrometheusCollectorRegistry,
                                 store: RocksDBStore, logger: Logger) -> [any Service] {
        var services: [any Service] = []
        // One heavy-call gate for both endpoints, so its limit holds across HTTP and WebSocket together.
        let heavyCalls = HeavyCallGate(limits: config.rpcLimits)
        if config.rpcHTTPEnabled {
            var settings = RPCHTTPSettings()
            settings.host = config.rpcHTTPHost
            settings.port = Int(config.rpcHTTPPort)
            settings.hostAllowlist = HostAllowlist(config.hostAllowlist)
            settings.corsOrigins = config.rpcHTTPCorsOrigins
            settings.maxConnections = config.rpcHTTPMaxActiveConnections
            settings.maxConnectionsPerAddress = config.rpcHTTPMaxConnectionsPerAddress
            settings.idleTimeout = .seconds(Int64(config.rpcHTTPIdleTimeoutSeconds))
            settings.requestTimeout = .seconds(Int64(config.rpcHTTPRequestTimeoutSeconds))
            settings.eventLoopThreads = config.rpcHTTPThreads
            settings.authentication = config.rpcHTTPAuthenticationEnabled ? authenticator : nil
            let dispatcher = RPCDispatcher(table: table, enabledNamespaces: Set(config.rpcHTTPAPI),
                                           requestLimits: config.rpcLimits, heavyCalls: heavyCalls)
            services.append(RPCHTTPServer(settings: settings, dispatcher: dispatcher, health: health, logger: logger))
        }
        if config.rpcWSEnabled {
            let dispatcher = RPCDispatcher(table: table, enabledNamespaces: Set(config.rpcWSAPI),
                                           requestLimits: config.rpcLimits, heavyCalls: heavyCalls)
            var settings = RPCWebSocketSettings()
            settings.host = config.rpcWSHost
            settings.port = Int(config.rpcWSPort)
            settings.hostAllowlist = HostAllowlist(config.hostAllowlist)
            settings.maxConnections = config.rpcWSMaxActiveConnections
            settings.maxFrameSize = config.rpcWSMaxFrameSize
            settings.handshakeTimeout = .seconds(Int64(config.rpcWSHandshakeTimeoutSeconds))
            settings.idleTimeout = .seconds(Int64(config.rpcWSIdleTimeoutSeconds))
            settings.maxOutboundBytes = config.rpcWSMaxOutboundBuffer
            settings.authentication = config.rpcWSAuthenticationEnabled ? authenticator : nil
            services.append(RPCWebSocketServer(settings: settings, dispatcher: dispatcher, logger: logger))
        }
        if config.metricsEnabled {
            services.append(MetricsServer(registry: registry, host: config.metricsHost, port: Int(config.metricsPort),
                                          store: store, logger: logger))
        }
        return services
    }
}
