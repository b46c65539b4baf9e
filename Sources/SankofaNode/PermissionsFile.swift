import Foundation
import SankofaRPC
import TOMLKit

/// Besu's permissions TOML file: `nodes-allowlist = ["enode://…"]` and `accounts-allowlist = ["0x…"]`, often in
/// one file. Writing one list keeps every other key of the file as it was.
enum PermissionsFile {
    /// The strings of list `key`; a missing key reads as an empty list, a missing file is an error.
    static func readList(path: String, key: String) throws(ConfigError) -> [String] {
        let table = try readTable(path: path)
        guard let value = table[key] else { return [] }
        guard let entries = value.array else { throw ConfigError("permissions file \(path): \(key) must be a list of strings") }
        var out: [String] = []
        for entry in entries {
            guard let text = entry.string else { throw ConfigError("permissions file \(path): \(key) must be a list of strings") }
            out.append(text)
        }
        return out
    }

    /// Whether the file sets `key` at all.
    static func hasKey(path: String, key: String) throws(ConfigError) -> Bool { try readTable(path: path)[key] != nil }

    /// Replaces list `key` and writes the file atomically (a crash leaves the old file or the new one).
    static func writeList(path: String, key: String, _ items: [String]) throws(ConfigError) {
        let table = FileManager.default.fileExists(atPath: path) ? try readTable(path: path) : TOMLTable()
        table[key] = TOMLArray(items)
        do {
            try (table.convert(to: .toml) + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw ConfigError("cannot write permissions file \(path): \(error.localizedDescription)")
        }
    }

    private static func readTable(path: String) throws(ConfigError) -> TOMLTable {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ConfigError("cannot read permissions file \(path): \(error.localizedDescription)")
        }
        do { return try TOMLText.parse(text) } catch {
            throw ConfigError("permissions file \(path) is not valid TOML: \(error)")
        }
    }
}
