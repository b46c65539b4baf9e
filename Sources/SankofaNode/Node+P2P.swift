import SankofaRPC

extension Node {
    /// What `admin_` and `net_` read: the P2P host, or nothing on the dev chain.
    var peerAdmin: any PeerAdmin { network ?? NoPeerAdmin() }

    /// What `perm_` changes.
    var permissioning: NodePermissioning {
        NodePermissioning(nodes: network?.nodesAllowlist, accountsPath: config.accountsAllowlistPath, pool: pool,
                          host: network?.host)
    }
}
