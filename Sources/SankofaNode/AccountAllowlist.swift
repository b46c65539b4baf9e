import SankofaPrimitives

/// Besu's account permissioning file: `accounts-allowlist = ["0x…", …]` in TOML. When configured, the pool accepts
/// transactions only from these senders; `perm_` account methods change the list and write it back.
enum AccountAllowlist {
    static let key = "accounts-allowlist"

    /// The listed accounts in file order. The key must be present (an empty list is fine): a file that lacks it
    /// is more likely the wrong file than a wish to refuse every sender.
    static func read(path: String) throws(ConfigError) -> [Address] {
        guard try PermissionsFile.hasKey(path: path, key: key) else {
            throw ConfigError("accounts permissions file \(path) has no accounts-allowlist = [\"0x…\"] list")
        }
        var allowed: [Address] = []
        for text in try PermissionsFile.readList(path: path, key: key) {
            guard let address = try? Address(checksummed: text) else {
                throw ConfigError("accounts permissions file \(path): \(text) is not an address")
            }
            allowed.append(address)
        }
        return allowed
    }

    static func load(path: String) throws(ConfigError) -> Set<Address> { Set(try read(path: path)) }
}
