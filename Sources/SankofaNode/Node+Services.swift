import SankofaRPC
import ServiceLifecycle

extension Node {
    /// The long-running parts, for a `ServiceGroup`.
    public func services() -> [any Service] {
        var services: [any Service] = [HeadFollower(blockchain: blockchain, pool: pool, store: store, metrics: metrics, logger: logger)]
        if config.mode == .validator, let signer, case .clique(let engine) = consensus {
            let store = self.store
            services.append(BlockProducer(blockchain: blockchain, pool: pool, key: signer, period: engine.config.period,
                                          logger: logger, metrics: metrics, sealOnTransaction: sealOnTransaction,
                                          headState: { try HeadStateReader(store: store, root: $0.stateRoot) }))
        }
        if let qbftService { services.append(qbftService) }
        // One heavy-call gate for both endpoints, so its limit holds across HTTP and WebSocket together.
        let heavyCalls = HeavyCallGate(limits: config.rpcLimits)
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
            let dispatcher = RPCDispatcher(table: rpcTable, enabledNamespaces: Set(config.rpcHTTPAPI),
                                           requestLimits: config.rpcLimits, heavyCalls: heavyCalls)
            services.append(RPCHTTPServer(settings: settings, dispatcher: dispatcher, health: backend, logger: logger))
        }
        if config.rpcWSEnabled {
            let dispatcher = RPCDispatcher(table: rpcTable, enabledNamespaces: Set(config.rpcWSAPI),
                                           requestLimits: config.rpcLimits, heavyCalls: heavyCalls)
            var settings = RPCWebSocketSettings()
            settings.host = config.rpcWSHost
            settings.port = Int(config.rpcWSPort)
            settings.hostAllowlist = config.hostAllowlist
            settings.maxConnections = config.rpcWSMaxActiveConnections
            settings.maxFrameSize = config.rpcWSMaxFrameSize
            settings.handshakeTimeout = .seconds(Int64(config.rpcWSHandshakeTimeoutSeconds))
            settings.idleTimeout = .seconds(Int64(config.rpcWSIdleTimeoutSeconds))
            settings.maxOutboundBytes = config.rpcWSMaxOutboundBuffer
            settings.authentication = config.rpcWSAuthenticationEnabled ? rpcAuthenticator : nil
            services.append(RPCWebSocketServer(settings: settings, dispatcher: dispatcher, logger: logger))
        }
        if config.metricsEnabled {
            services.append(MetricsServer(registry: registry, host: config.metricsHost, port: Int(config.metricsPort), logger: logger))
        }
        if let network { services.append(P2PService(network: network, logger: logger)) }
        if let eth, let sync { services.append(SyncService(eth: eth, sync: sync, wantsWholeBlock: consensus.wantsWholeBlock)) }
        return services
    }
}
