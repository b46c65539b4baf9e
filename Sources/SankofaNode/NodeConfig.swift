import SankofaPrimitives
import SankofaRPC
import SankofaTxPool

/// What kind of node this is (DESIGN.md: core sites run validators, regional sites replicas, edge sites light
/// clients).
public enum NodeMode: String, Sendable, CaseIterable {
    case validator, replica, light

    /// The mode a deployment tier implies.
    public static func forTier(_ tier: String) -> NodeMode? {
        switch tier {
        case "core": .validator
        case "regional": .replica
        case "edge": .light
        default: nil
        }
    }
}

/// Everything a node is started with. Defaults are Besu's where Besu has the setting; `--config-file` TOML keys are
/// the flag names without dashes, and flags override the file.
public struct NodeConfig: Sendable, Equatable {
    public var genesisFile: String?
    public var dataPath: String?
    public var mode: NodeMode = .validator
    /// `--light-checkpoint`: a trusted block hash a light node verifies forward from, instead of genesis.
    public var lightCheckpoint: String?
    public var nodePrivateKeyFile: String?
    public var p2pHost = "127.0.0.1"
    public var p2pPort: UInt16 = 30303
    public var bootnodes: [String] = []
    public var rpcHTTPEnabled = false
    public var rpcHTTPHost = "127.0.0.1"
    public var rpcHTTPPort: UInt16 = 8545
    public var rpcHTTPAPI = ["ETH", "NET", "WEB3"]
    public var rpcWSEnabled = false
    public var rpcWSHost = "127.0.0.1"
    public var rpcWSPort: UInt16 = 8546
    public var rpcWSAPI = ["ETH", "NET", "WEB3"]
    public var hostAllowlist = ["localhost", "127.0.0.1"]
    public var rpcHTTPCorsOrigins: [String] = []
    /// Besu's `--rpc-http-max-active-connections` (Sankofa's default is 1,024 rather than Besu's 80).
    public var rpcHTTPMaxActiveConnections = 1_024
    /// `--rpc-http-max-connections-per-address`: HTTP connections one remote IP may hold.
    public var rpcHTTPMaxConnectionsPerAddress = 256
    /// `--rpc-http-idle-timeout`: seconds before an HTTP connection with no request under way is closed.
    public var rpcHTTPIdleTimeoutSeconds = 60
    /// `--rpc-http-request-timeout`: seconds a request's headers and body may take to arrive.
    public var rpcHTTPRequestTimeoutSeconds = 30
    /// `--rpc-http-threads`: the HTTP endpoint's event-loop threads.
    public var rpcHTTPThreads = RPCHTTPSettings.defaultEventLoopThreads
    /// Work bounds of every request, HTTP and WebSocket alike: `--rpc-http-max-batch-size`, `--rpc-max-logs-range`, `--rpc-max-response-size`,
    /// `--rpc-max-active-heavy-requests`, `--rpc-max-heavy-requests-per-address` (defaults in `RPCLimits`).
    public var rpcLimits = RPCLimits()
    /// The WebSocket endpoint's bounds: `--rpc-ws-max-active-connections`, `--rpc-ws-max-frame-size`,
    /// `--rpc-ws-handshake-timeout`, `--rpc-ws-idle-timeout` (seconds), `--rpc-ws-max-outbound-buffer` (defaults in
    /// `RPCWebSocketSettings`).
    public var rpcWSMaxActiveConnections = RPCWebSocketSettings().maxConnections
    public var rpcWSMaxFrameSize = RPCWebSocketSettings().maxFrameSize
    public var rpcWSHandshakeTimeoutSeconds = Int(RPCWebSocketSettings().handshakeTimeout.nanoseconds / 1_000_000_000)
    public var rpcWSIdleTimeoutSeconds = Int(RPCWebSocketSettings().idleTimeout.nanoseconds / 1_000_000_000)
    public var rpcWSMaxOutboundBuffer = RPCWebSocketSettings().maxOutboundBytes
    /// Besu's `--rpc-http-authentication-enabled` / `--rpc-ws-authentication-enabled`: calls need a JWT.
    public var rpcHTTPAuthenticationEnabled = false
    public var rpcWSAuthenticationEnabled = false
    /// RS256 or ES256 PEM public key of the identity provider whose tokens are accepted (HTTP and WebSocket).
    public var rpcHTTPAuthenticationJWTPublicKeyFile: String?
    /// TOML users with salted password hashes and permissions; enables `POST /login` (HTTP and WebSocket).
    public var rpcHTTPAuthenticationCredentialsFile: String?
    public var metricsEnabled = false
    public var metricsHost = "127.0.0.1"
    public var metricsPort: UInt16 = 9545
    public var minGasPrice = UInt256.zero
    /// Besu's `--tx-pool-retention-hours`: how long a queued transaction (behind a nonce gap) may wait before it
    /// is dropped. The default is geth's 3 hours rather than Besu's 13.
    public var txPoolRetentionHours = 3
    /// Besu's `--tx-pool-max-size`: executable transactions the pool keeps across all senders; beyond it a new one
    /// is refused with "txpool is full" (Besu: 4,096; here room for a few seconds of a busy network).
    public var txPoolMaxSize = TxPoolConfig(chainId: 0).maxPending
    /// Besu's `--strict-tx-replay-protection-enabled`: refuse transactions without EIP-155 replay protection over
    /// JSON-RPC. On by default, as in geth (`--rpc.allow-unprotected-txs` turns it off there).
    public var strictTxReplayProtectionEnabled = true
    public var permissionsNodesConfigFile: String?
    public var permissionsAccountsConfigFile: String?
    public var pruningEnabled = true
    public var pruningBlocksRetained: UInt64 = 128
    public var logging = "INFO"
    // P2P and permissioning (Besu's flags).
    public var maxPeers = 25
    public var permissionsNodesConfigFileEnabled = false
    public var permissionsAccountsConfigFileEnabled = false
    // Hot standby (issue 17): members sharing a validator key sign only while holding an etcd lease.
    /// `--validator-private-key-file`: the key that seals; default the node key. Members of a hot-standby group
    /// share it and keep their own node keys (their P2P identities).
    public var validatorPrivateKeyFile: String?
    /// `--validator-lease-endpoints`: etcd members' client URLs (`http://127.0.0.1:2379`); empty: no lease.
    public var validatorLeaseEndpoints: [String] = []
    /// `--validator-lease-key`: the etcd key the members compete for, e.g. `/sankofa/<network>/<validator>`.
    public var validatorLeaseKey: String?
    /// `--validator-lease-ttl`: seconds a lease lives unless renewed: how long a take-over may take.
    public var validatorLeaseTTL = 5

    public init() {}
}

/// A setting's value as TOML or a flag gives it.
public enum ConfigValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case bool(Bool)
    case list([String])
}

/// Why a configuration was refused: names the key and what it expects.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension NodeConfig {
    /// Every key `apply` understands (the flag names without their dashes).
    public static let keys = [
        "genesis-file", "data-path", "tier", "mode", "light-checkpoint", "node-private-key-file", "p2p-host", "p2p-port", "bootnodes",
        "rpc-http-enabled", "rpc-http-host", "rpc-http-port", "rpc-http-api", "rpc-ws-enabled", "rpc-ws-host",
        "rpc-ws-port", "rpc-ws-api", "host-allowlist", "rpc-http-cors-origins", "rpc-http-max-active-connections",
        "rpc-http-max-connections-per-address", "rpc-http-idle-timeout", "rpc-http-request-timeout", "rpc-http-threads",
        "rpc-http-max-batch-size", "rpc-max-logs-range", "rpc-max-response-size", "rpc-max-active-heavy-requests", "rpc-max-heavy-requests-per-address",
        "rpc-ws-max-active-connections", "rpc-ws-max-frame-size", "rpc-ws-handshake-timeout", "rpc-ws-idle-timeout",
        "rpc-ws-max-outbound-buffer",
        "rpc-http-authentication-enabled", "rpc-ws-authentication-enabled", "rpc-http-authentication-jwt-public-key-file",
        "rpc-http-authentication-credentials-file", "metrics-enabled", "metrics-host",
        "metrics-port", "min-gas-price", "tx-pool-retention-hours", "tx-pool-max-size", "strict-tx-replay-protection-enabled", "permissions-nodes-config-file", "permissions-accounts-config-file",
        "pruning-enabled", "pruning-blocks-retained", "logging",
        "max-peers", "permissions-nodes-config-file-enabled", "permissions-accounts-config-file-enabled",
        "validator-private-key-file", "validator-lease-endpoints", "validator-lease-key", "validator-lease-ttl",
    ]

    /// Sets one key; the single place where names map to fields, shared by TOML and flags.
    public mutating func apply(_ key: String, _ value: ConfigValue) throws(ConfigError) {
        switch key {
        case "genesis-file": genesisFile = try string(key, value)
        case "data-path": dataPath = try string(key, value)
        case "tier":
            let tier = try string(key, value)
            guard let implied = NodeMode.forTier(tier) else { throw ConfigError("tier must be core, regional or edge, not \(tier)") }
            mode = implied
        case "mode":
            let text = try string(key, value)
            guard let parsed = NodeMode(rawValue: text) else { throw ConfigError("mode must be validator, replica or light, not \(text)") }
            mode = parsed
        case "light-checkpoint": lightCheckpoint = try string(key, value)
        case "node-private-key-file": nodePrivateKeyFile = try string(key, value)
        case "p2p-host": p2pHost = try string(key, value)
        case "p2p-port": p2pPort = try port(key, value)
        case "bootnodes": bootnodes = try list(key, value)
        case "rpc-http-enabled": rpcHTTPEnabled = try bool(key, value)
        case "rpc-http-host": rpcHTTPHost = try string(key, value)
        case "rpc-http-port": rpcHTTPPort = try port(key, value)
        case "rpc-http-api": rpcHTTPAPI = try list(key, value).map { $0.uppercased() }
        case "rpc-ws-enabled": rpcWSEnabled = try bool(key, value)
        case "rpc-ws-host": rpcWSHost = try string(key, value)
        case "rpc-ws-port": rpcWSPort = try port(key, value)
        case "rpc-ws-api": rpcWSAPI = try list(key, value).map { $0.uppercased() }
        case "host-allowlist": hostAllowlist = try list(key, value)
        case "rpc-http-cors-origins": rpcHTTPCorsOrigins = try list(key, value)
        case "rpc-http-max-active-connections": rpcHTTPMaxActiveConnections = try positive(key, value)
        case "rpc-http-max-connections-per-address": rpcHTTPMaxConnectionsPerAddress = try positive(key, value)
        case "rpc-http-idle-timeout": rpcHTTPIdleTimeoutSeconds = try positive(key, value)
        case "rpc-http-request-timeout": rpcHTTPRequestTimeoutSeconds = try positive(key, value)
        case "rpc-http-threads": rpcHTTPThreads = try positive(key, value)
        case "rpc-http-max-batch-size": rpcLimits.maxBatchSize = try positive(key, value)
        case "rpc-max-logs-range": rpcLimits.maxLogsRange = UInt64(try positive(key, value))
        case "rpc-max-response-size": rpcLimits.maxResponseBytes = try positive(key, value)
        case "rpc-max-active-heavy-requests": rpcLimits.maxActiveHeavyRequests = try positive(key, value)
        case "rpc-max-heavy-requests-per-address": rpcLimits.maxHeavyRequestsPerAddress = try positive(key, value)
        case "rpc-ws-max-active-connections": rpcWSMaxActiveConnections = try positive(key, value)
        case "rpc-ws-max-frame-size": rpcWSMaxFrameSize = try positive(key, value)
        case "rpc-ws-handshake-timeout": rpcWSHandshakeTimeoutSeconds = try positive(key, value)
        case "rpc-ws-idle-timeout": rpcWSIdleTimeoutSeconds = try positive(key, value)
        case "rpc-ws-max-outbound-buffer": rpcWSMaxOutboundBuffer = try positive(key, value)
        case "rpc-http-authentication-enabled": rpcHTTPAuthenticationEnabled = try bool(key, value)
        case "rpc-ws-authentication-enabled": rpcWSAuthenticationEnabled = try bool(key, value)
        case "rpc-http-authentication-jwt-public-key-file": rpcHTTPAuthenticationJWTPublicKeyFile = try string(key, value)
        case "rpc-http-authentication-credentials-file": rpcHTTPAuthenticationCredentialsFile = try string(key, value)
        case "metrics-enabled": metricsEnabled = try bool(key, value)
        case "metrics-host": metricsHost = try string(key, value)
        case "metrics-port": metricsPort = try port(key, value)
        case "min-gas-price":
            let text: String
            switch value {
            case .integer(let n) where n >= 0: text = String(n)
            case .string(let s): text = s
            default: throw ConfigError("min-gas-price must be a non-negative integer (wei)")
            }
            guard let price = UInt256(decimal: text) ?? UInt256(hex: text) else {
                throw ConfigError("min-gas-price must be a non-negative integer (wei), not \(text)")
            }
            minGasPrice = price
        case "tx-pool-retention-hours":
            guard case .integer(let n) = value, n >= 1, n <= 24 * 365 else {
                throw ConfigError("tx-pool-retention-hours must be a whole number of hours from 1 to 8760")
            }
            txPoolRetentionHours = n
        case "tx-pool-max-size":
            guard case .integer(let n) = value, n >= 1, n <= 1_000_000 else {
                throw ConfigError("tx-pool-max-size must be a whole number of transactions from 1 to 1000000")
            }
            txPoolMaxSize = n
        case "strict-tx-replay-protection-enabled": strictTxReplayProtectionEnabled = try bool(key, value)
        case "permissions-nodes-config-file": permissionsNodesConfigFile = try string(key, value)
        case "permissions-accounts-config-file": permissionsAccountsConfigFile = try string(key, value)
        case "pruning-enabled": pruningEnabled = try bool(key, value)
        case "pruning-blocks-retained":
            guard case .integer(let n) = value, n >= 1 else { throw ConfigError("pruning-blocks-retained must be an integer ≥ 1") }
            pruningBlocksRetained = UInt64(n)
        case "logging":
            let level = try string(key, value).uppercased()
            guard ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "OFF"].contains(level) else {
                throw ConfigError("logging must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL, OFF")
            }
            logging = level
        case "max-peers":
            guard case .integer(let n) = value, n >= 0 else { throw ConfigError("max-peers must be an integer ≥ 0") }
            maxPeers = n
        case "permissions-nodes-config-file-enabled": permissionsNodesConfigFileEnabled = try bool(key, value)
        case "permissions-accounts-config-file-enabled": permissionsAccountsConfigFileEnabled = try bool(key, value)
        case "validator-private-key-file": validatorPrivateKeyFile = try string(key, value)
        case "validator-lease-endpoints": validatorLeaseEndpoints = try list(key, value)
        case "validator-lease-key":
            let text = try string(key, value)
            guard text.hasPrefix("/"), text.count > 1 else {
                throw ConfigError("validator-lease-key must be an etcd key path such as /sankofa/<network>/<validator>, not \(text)")
            }
            validatorLeaseKey = text
        case "validator-lease-ttl":
            guard case .integer(let n) = value, (2...300).contains(n) else {
                throw ConfigError("validator-lease-ttl must be a whole number of seconds from 2 (etcd's minimum) to 300")
            }
            validatorLeaseTTL = n
        default:
            throw ConfigError("unknown setting \"\(key)\"")
        }
    }

    private func string(_ key: String, _ value: ConfigValue) throws(ConfigError) -> String {
        guard case .string(let text) = value else { throw ConfigError("\(key) must be a string") }
        return text
    }

    private func bool(_ key: String, _ value: ConfigValue) throws(ConfigError) -> Bool {
        guard case .bool(let flag) = value else { throw ConfigError("\(key) must be true or false") }
        return flag
    }

    private func positive(_ key: String, _ value: ConfigValue) throws(ConfigError) -> Int {
        guard case .integer(let n) = value, n >= 1 else { throw ConfigError("\(key) must be a whole number ≥ 1") }
        return n
    }

    private func port(_ key: String, _ value: ConfigValue) throws(ConfigError) -> UInt16 {
        guard case .integer(let n) = value, let port = UInt16(exactly: n) else {
            throw ConfigError("\(key) must be a port number (0-65535)")
        }
        return port
    }

    private func list(_ key: String, _ value: ConfigValue) throws(ConfigError) -> [String] {
        switch value {
        case .list(let items): return items
        case .string(let text): return text.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
        default: throw ConfigError("\(key) must be a list of strings")
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
