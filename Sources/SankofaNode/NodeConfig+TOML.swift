import SankofaRPC
import TOMLKit

extension NodeConfig {
    /// Applies a `--config-file`: top-level keys are the flag names without dashes (Besu's convention).
    public mutating func apply(toml text: String) throws(ConfigError) {
        let table: TOMLTable
        do { table = try TOMLText.parse(text) } catch {
            throw ConfigError("config file is not valid TOML: \(error)")
        }
        for (key, value) in table {
            let converted: ConfigValue
            if let flag = value.bool {
                converted = .bool(flag)
            } else if let number = value.int {
                converted = .integer(number)
            } else if let text = value.string {
                converted = .string(text)
            } else if let array = value.array {
                var items: [String] = []
                for element in array {
                    guard let item = element.string else { throw ConfigError("\(key) must be a list of strings") }
                    items.append(item)
                }
                converted = .list(items)
            } else {
                throw ConfigError("\(key) has an unsupported value type")
            }
            try apply(key, converted)
        }
    }
}
