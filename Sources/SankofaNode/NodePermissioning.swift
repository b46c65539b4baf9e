import SankofaP2P
import SankofaPrimitives
import SankofaRPC
import SankofaTxPool

/// The `perm_` methods on a full node: the node allow-list (checked in every handshake; a removed node is
/// disconnected at once) and the account allow-list (the pool's sender filter), each persisted to its file.
struct NodePermissioning: PermissioningAdmin {
    let nodes: NodesAllowlist?
    let accountsPath: String?
    let pool: TransactionPool
    let host: P2PHost?

    func nodesAllowlist() async throws -> [String] { try requireNodes().enodes.map(\.description) }

    func addNodes(_ enodes: [String]) async throws {
        let nodes = try requireNodes()
        try Self.rpc { () throws(ConfigError) in try nodes.add(enodes) }
    }

    func removeNodes(_ enodes: [String]) async throws {
        let nodes = try requireNodes()
        try Self.rpc { () throws(ConfigError) in try nodes.remove(enodes) }
        await host?.disconnectUnpermitted()
    }

    func accountsAllowlist() async throws -> [Address] {
        let path = try requireAccounts()
        return try Self.rpc { () throws(ConfigError) in try AccountAllowlist.read(path: path) }
    }

    func addAccounts(_ accounts: [Address]) async throws {
        let path = try requireAccounts()
        try Self.rpc { () throws(ConfigError) in
            let current = try AccountAllowlist.read(path: path)
            guard Set(accounts).count == accounts.count else { throw ConfigError("Request contains duplicate accounts") }
            for account in accounts where current.contains(account) {
                throw ConfigError("Account is already on the allowlist: \(account.checksummed)")
            }
            try PermissionsFile.writeList(path: path, key: AccountAllowlist.key, (current + accounts).map(\.checksummed))
        }
        await pool.setAccountAllowlist(Set(try Self.rpc { () throws(ConfigError) in try AccountAllowlist.read(path: path) }))
    }

    func removeAccounts(_ accounts: [Address]) async throws {
        let path = try requireAccounts()
        try Self.rpc { () throws(ConfigError) in
            let current = try AccountAllowlist.read(path: path)
            for account in accounts where !current.contains(account) {
                throw ConfigError("Account is not on the allowlist: \(account.checksummed)")
            }
            try PermissionsFile.writeList(path: path, key: AccountAllowlist.key, current.filter { !accounts.contains($0) }.map(\.checksummed))
        }
        await pool.setAccountAllowlist(Set(try Self.rpc { () throws(ConfigError) in try AccountAllowlist.read(path: path) }))
    }

    func reload() async throws {
        guard nodes != nil || accountsPath != nil else { throw NoPermissioning.nodes }
        if let nodes {
            try Self.rpc { () throws(ConfigError) in try nodes.reload() }
            await host?.disconnectUnpermitted()
        }
        if let accountsPath {
            await pool.setAccountAllowlist(Set(try Self.rpc { () throws(ConfigError) in try AccountAllowlist.read(path: accountsPath) }))
        }
    }

    private func requireNodes() throws(RPCError) -> NodesAllowlist {
        guard let nodes else { throw NoPermissioning.nodes }
        return nodes
    }

    private func requireAccounts() throws(RPCError) -> String {
        guard let accountsPath else { throw NoPermissioning.accounts }
        return accountsPath
    }

    /// A permissions-file refusal as the JSON-RPC server error Besu answers with.
    static func rpc<T>(_ body: () throws(ConfigError) -> T) throws(RPCError) -> T {
        do { return try body() } catch { throw RPCError.server(error.description) }
    }
}
