import SankofaRPC
import ServiceLifecycle

extension Node {
    /// The long-running parts, for a `ServiceGroup`.
    public func services() -> [any Service] {
        var services: [any Service] = [HeadFollower(blockchain: blockchain, pool: pool, store: store, metrics: metrics, logger: logger)]
        if config.mode == .validator, let validatorKey, case .clique(let engine) = consensus {
            let store = self.store
            services.append(BlockProducer(blockchain: blockchain, pool: pool, key: validatorKey, period: engine.config.period,
                                          logger: logger, metrics: metrics, sealOnTransaction: sealOnTransaction,
                                          signingGuard: validatorLease,
                                          headState: { try HeadStateReader(store: store, root: $0.stateRoot) }))
        }
        if let validatorLease { services.append(ValidatorLeaseService(lease: validatorLease)) }
        if let qbftService { services.append(qbftService) }
        if config.rpcHTTPEnabled {
            var settings = RPCHTTPSettings()
            settings.host = config.rpcHTTPHost
            settings.port = Int(config.rpcHTTPPort)
            settings.hostAllowlist = config.hostAllowlist
            settings.corsOrigins = config.rpcHTTPCorsOrigins
            settings.maxConnections = config.rpcHTTPMaxActiveConnections
            settings.maxConnectionsPerAddress = config.rpcHTTPMaxConnectionsPerAddress
            settings.idleTimeout = .seconds(Int64(config.rpcHTTPIdleTimeoutSeconds))
            settings.requestTimeout = .seconds(Int64(config.rpcHTTPRequestTimeoutSeconds))
            settings.authentication = config.rpcHTTPAuthenticationEnabled ? rpcAuthenticator : nil
            let dispatcher = RPCDispatcher(table: rpcTable, enabledNamespaces: Set(config.rpcHTTPAPI))
            services.append(RPCHTTPServer(settings: settings, dispatcher: dispatcher, health: backend, logger: logger))
        }
        if config.rpcWSEnabled {
            let dispatcher = RPCDispatcher(table: rpcTable, enabledNamespaces: Set(config.rpcWSAPI))
            services.append(RPCWebSocketServer(host: config.rpcWSHost, port: Int(config.rpcWSPort), dispatcher: dispatcher,
                                               hostAllowlist: config.hostAllowlist, logger: logger,
                                               authentication: config.rpcWSAuthenticationEnabled ? rpcAuthenticator : nil))
        }
        if config.metricsEnabled {
            services.append(MetricsServer(registry: registry, host: config.metricsHost, port: Int(config.metricsPort), logger: logger))
        }
        if let network { services.append(P2PService(network: network, logger: logger)) }
        if let eth, let sync { services.append(SyncService(eth: eth, sync: sync, wantsWholeBlock: consensus.wantsWholeBlock)) }
        return services
    }
}
