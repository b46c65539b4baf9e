extension RPCMethodTable {
    /// Every namespace a node serves, registered in one place for the node and the tests that stand in for it.
    /// Which of them an endpoint answers is chosen per endpoint (`--rpc-http-api`, `--rpc-ws-api`). The consensus
    /// engine contributes its own admin namespace: `clique_` or `qbft_`.
    public static func node(backend: RPCBackend, filters: FilterRegistry,
                            subscriptions: SubscriptionRegistry = SubscriptionRegistry()) -> RPCMethodTable {
        var table = RPCMethodTable()
        let eth = EthNamespace(backend: backend, filters: filters)
        table.register(immediate: eth.immediateMethods)
        table.register(eth.methods)
        let web3Net = Web3NetNamespaces(backend: backend)
        table.register(immediate: web3Net.immediateMethods)
        table.register(web3Net.methods)
        table.register(TxPoolNamespace(backend: backend).methods)
        table.register(AdminNamespace(backend: backend).methods)
        switch backend.consensus.consensusName {
        case "qbft": table.register(QBFTNamespace(backend: backend).methods)
        default: table.register(CliqueNamespace(backend: backend).methods)
        }
        table.register(SankofaNamespace(backend: backend).methods)
        table.register(SubscriptionNamespace(backend: backend, registry: subscriptions).methods)
        table.register(PermNamespace(backend: backend).methods)
        return table
    }
}
