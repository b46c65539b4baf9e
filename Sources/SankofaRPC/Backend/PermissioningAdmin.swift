import SankofaPrimitives

/// Besu's local permissioning (`perm_` namespace): node and account allow-lists kept in a TOML file, changed at
/// run time and persisted. Implementations throw `RPCError` with Besu's wording when a list is not enabled or an
/// entry is invalid, already present or absent.
public protocol PermissioningAdmin: Sendable {
    func nodesAllowlist() async throws -> [String]
    func addNodes(_ enodes: [String]) async throws
    func removeNodes(_ enodes: [String]) async throws
    func accountsAllowlist() async throws -> [Address]
    func addAccounts(_ accounts: [Address]) async throws
    func removeAccounts(_ accounts: [Address]) async throws
    /// Re-reads both lists from their files.
    func reload() async throws
}

/// No permissioning configured: every call says how to enable it.
public struct NoPermissioning: PermissioningAdmin {
    public init() {}
    public static let nodes = RPCError.server("Node/Account allowlisting has not been enabled (--permissions-nodes-config-file-enabled)")
    public static let accounts = RPCError.server("Node/Account allowlisting has not been enabled (--permissions-accounts-config-file-enabled)")
    public func nodesAllowlist() async throws -> [String] { throw Self.nodes }
    public func addNodes(_ enodes: [String]) async throws { throw Self.nodes }
    public func removeNodes(_ enodes: [String]) async throws { throw Self.nodes }
    public func accountsAllowlist() async throws -> [Address] { throw Self.accounts }
    public func addAccounts(_ accounts: [Address]) async throws { throw Self.accounts }
    public func removeAccounts(_ accounts: [Address]) async throws { throw Self.accounts }
    public func reload() async throws { throw Self.nodes }
}
