import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import SankofaChain
import SankofaCrypto
import SankofaNode

/// `sankofa dev`: a one-node Clique chain on the embedded dev genesis, sealing as soon as transactions arrive.
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev", abstract: "Run a one-node development chain on the embedded dev genesis.")

    @Option(name: .customLong("data-path"), help: "Database directory (default: a new temporary directory).")
    var dataPath: String?
    @Option(name: .customLong("rpc-http-host")) var rpcHTTPHost = "127.0.0.1"
    @Option(name: .customLong("rpc-http-port")) var rpcHTTPPort = 8545
    @Option(name: .customLong("rpc-ws-port")) var rpcWSPort = 8546
    @Option(name: .customLong("rpc-http-api"), help: "Namespaces to serve (ADMIN and PERM are off unless listed).")
    var rpcAPI = "ETH,NET,WEB3,TXPOOL,CLIQUE,SANKOFA"
    @Flag(name: .customLong("metrics-enabled")) var metricsEnabled = false
    @Option(name: .customLong("metrics-port")) var metricsPort: Int?
    @Option(name: .customLong("block-period"), help: "Seal every N seconds instead of as soon as transactions arrive (0).")
    var blockPeriod: UInt64 = 0
    @Option(help: "TRACE, DEBUG, INFO, WARN, ERROR.") var logging = "INFO"

    /// The embedded dev genesis with the block period set. The period is chain configuration, not a header field,
    /// so the genesis hash (and an existing dev database) is unchanged.
    static func genesis(period: UInt64) throws -> GenesisFile {
        var genesis = try GenesisFile(json: Array(DevGenesis.json.utf8))
        if case .clique(_, let epoch) = genesis.consensus {
            genesis.consensus = .clique(blockPeriodSeconds: period, epochLength: epoch)
        }
        return genesis
    }

    func run() async throws {
        var config = NodeConfig()
        let path = dataPath ?? FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-dev-\(UUID().uuidString.prefix(8))").path
        try cli { try config.apply("data-path", .string(path)) }
        try cli { try config.apply("logging", .string(logging)) }
        for (key, value) in [("rpc-http-enabled", ConfigValue.bool(true)), ("rpc-ws-enabled", .bool(true)),
                             ("rpc-http-host", .string(rpcHTTPHost)), ("rpc-ws-host", .string(rpcHTTPHost)),
                             ("rpc-http-port", .integer(rpcHTTPPort)), ("rpc-ws-port", .integer(rpcWSPort)),
                             ("rpc-http-api", .string(rpcAPI)), ("rpc-ws-api", .string(rpcAPI))] {
            try cli { try config.apply(key, value) }
        }
        if metricsEnabled { try cli { try config.apply("metrics-enabled", .bool(true)) } }
        if let metricsPort { try cli { try config.apply("metrics-port", .integer(metricsPort)) } }
        let logger = Bootstrap.logging(level: config.logging)
        let registry = Bootstrap.metrics(enabled: config.metricsEnabled)
        var banner = "Sankofa dev chain (chain id 1337), data in \(path)\n"
        banner += "Funded dev accounts (never use these keys on a real network):\n"
        for (name, key) in DevGenesis.keys {
            let address = try cli { try PrivateKey(hex: key) }.address.checksummed
            banner += "  \(address)  \(key)  (\(name))\n"
        }
        // Unbuffered: stdout is block-buffered when it is a pipe or a file (containers, `| tee`), and the banner must
        // show before the node runs, not when it exits.
        StandardOutput.write(banner)
        let signer = try cli { try PrivateKey(hex: DevGenesis.signerKey) }
        let genesis = try cli { try Self.genesis(period: blockPeriod) }
        let node = try cli { try Node(config: config, genesis: genesis, signer: signer, logger: logger, registry: registry, isDev: true) }
        try await cliAsync { try await node.run() }
    }
}

/// `sankofa run`: a validator, replica or light node from a genesis file.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a node from a genesis file.")

    @OptionGroup var options: NodeOptions

    func run() async throws {
        var config = NodeConfig()
        if let file = options.configFile {
            let text = String(decoding: try CLIFiles.read(file), as: UTF8.self)
            try cli { try config.apply(toml: text) }
        }
        for (key, value) in options.pairs { try cli { try config.apply(key, value) } }
        guard let genesisPath = config.genesisFile else { throw CLIError.missingFlag("--genesis-file") }
        guard let dataPath = config.dataPath else { throw CLIError.missingFlag("--data-path") }
        let genesis: GenesisFile
        do { genesis = try GenesisFile(json: try CLIFiles.read(genesisPath)) } catch let error as GenesisError {
            throw CLIError.file(path: genesisPath, reason: error.description)
        }
        let keyPath = config.nodePrivateKeyFile ?? (dataPath as NSString).appendingPathComponent("key")
        let key = try cli { try Bootstrap.nodeKey(at: keyPath, createIfMissing: config.nodePrivateKeyFile == nil) }
        let logger = Bootstrap.logging(level: config.logging)
        let registry = Bootstrap.metrics(enabled: config.metricsEnabled)
        logger.info("Node key \(keyPath): address \(key.address.checksummed), mode \(config.mode.rawValue)")
        if config.mode == .light {
            let node = try cli { try LightNode(config: config, genesis: genesis, key: key, logger: logger, registry: registry) }
            try await cliAsync { try await node.run() }
        } else {
            let validatorKey = try config.validatorPrivateKeyFile.map { path in try cli { try KeyFile.read(path: path) } }
            if let validatorKey { logger.info("Validator key \(config.validatorPrivateKeyFile ?? ""): address \(validatorKey.address.checksummed)") }
            let node = try cli {
                try Node(config: config, genesis: genesis, signer: key, validatorKey: validatorKey, logger: logger, registry: registry)
            }
            try await cliAsync { try await node.run() }
        }
    }
}

/// Process-wide set-up shared by `dev` and `run`.
enum Bootstrap {
    static func logging(level: String) -> Logger {
        let parsed: Logger.Level = switch level {
        case "TRACE": .trace
        case "DEBUG": .debug
        case "WARN": .warning
        case "ERROR", "FATAL": .error
        case "OFF": .critical
        default: .info
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = parsed
            return handler
        }
        return Logger(label: "sankofa")
    }

    /// Installs the Prometheus backend for swift-metrics (before any metric is created).
    static func metrics(enabled: Bool) -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        if enabled { MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry)) }
        return registry
    }

    /// Reads the node key, creating it (mode 0600) on first start as Besu does.
    static func nodeKey(at path: String, createIfMissing: Bool) throws -> PrivateKey {
        if createIfMissing, !FileManager.default.fileExists(atPath: path) {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            let key = try PrivateKey.generate()
            try KeyFile.write(key, path: path)
            return key
        }
        return try KeyFile.read(path: path)
    }
}

/// Runs an async step and turns its error into a one-line `CLIError`.
func cliAsync<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch { throw CLIError(describing: error) }
}
