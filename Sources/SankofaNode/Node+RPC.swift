import SankofaRPC

extension Node {
    /// What RPC reads through.
    var backend: FullBackend {
        FullBackend(chain: chain, blockchain: blockchain, txPool: pool, consensus: consensus, qbft: qbftService, chainId: genesis.chainId,
                    nodeKey: signer, config: config, isDev: isDev,
                    network: network, sync: sync, lease: validatorLease, recent: recentBlocks)
    }

    /// Every RPC method, shared by HTTP and WebSocket.
    var rpcTable: RPCMethodTable {
        let full = backend
        return .node(backend: RPCBackend(chain: full, state: full, pool: full, node: full, consensus: full,
                                          peers: peerAdmin, permissions: permissioning), filters: filters)
    }
}
