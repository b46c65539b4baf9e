import Foundation

extension NodeConfig {
    /// Besu's default permissions file, shared by the node and account lists: `DATA_PATH/permissions_config.toml`.
    static let defaultPermissionsFile = "permissions_config.toml"

    /// The node allow-list file in force, if any: `--permissions-nodes-config-file`, or the default file when only
    /// `--permissions-nodes-config-file-enabled` is given.
    public var nodesAllowlistPath: String? {
        permissionsPath(permissionsNodesConfigFile, enabled: permissionsNodesConfigFileEnabled)
    }

    /// The account allow-list file in force, if any (same rule, `--permissions-accounts-config-file…`).
    public var accountsAllowlistPath: String? {
        permissionsPath(permissionsAccountsConfigFile, enabled: permissionsAccountsConfigFileEnabled)
    }

    private func permissionsPath(_ file: String?, enabled: Bool) -> String? {
        if let file { return file }
        guard enabled, let dataPath else { return nil }
        return (dataPath as NSString).appendingPathComponent(Self.defaultPermissionsFile)
    }
}
