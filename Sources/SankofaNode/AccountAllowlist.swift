import Foundation
import SankofaPrimitives
import TOMLKit

/// Besu's account permissioning file: `accounts-allowlist = ["0x…", …]` in TOML. When configured, the pool accepts
/// transactions only from these senders.
enum AccountAllowlist {
    static func load(path: String) throws -> Set<Address> {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigError("cannot read accounts permissions file \(path): \(error.localizedDescription)")
        }
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch {
            throw ConfigError("accounts permissions file \(path) is not valid TOML: \(error)")
        }
        guard let entries = table["accounts-allowlist"]?.array else {
            throw ConfigError("accounts permissions file \(path) has no accounts-allowlist = [\"0x…\"] list")
        }
        var allowed: Set<Address> = []
        for entry in entries {
            guard let text = entry.string, let address = try? Address(checksummed: text) else {
                throw ConfigError("accounts permissions file \(path): \(entry) is not an address")
            }
            allowed.insert(address)
        }
        return allowed
    }
}
