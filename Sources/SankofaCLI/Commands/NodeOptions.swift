import ArgumentParser
import SankofaJSON
import SankofaNode

/// The node flags DESIGN.md lists, with Besu's names. Each one given on the command line becomes a (key, value)
/// pair applied over `--config-file`, so flags override the file.
struct NodeOptions: ParsableArguments {
    @Option(name: .customLong("genesis-file"), help: "Genesis JSON (Besu format).") var genesisFile: String?
    @Option(name: .customLong("data-path"), help: "Directory for the database and node key.") var dataPath: String?
    @Option(help: "Deployment tier: core (validator), regional (replica) or edge (light).") var tier: String?
    @Option(help: "validator, replica or light (overrides --tier).") var mode: String?
    @Option(name: .customLong("light-checkpoint"), help: "Light mode: a trusted recent block hash to verify forward from instead of genesis.") var lightCheckpoint: String?
    @Option(name: .customLong("node-private-key-file"), help: "Node key (default: DATA_PATH/key, created if missing).") var nodePrivateKeyFile: String?
    @Option(name: .customLong("p2p-host"), help: "P2P host: bound and advertised in the enode URL (default 127.0.0.1).") var p2pHost: String?
    @Option(name: .customLong("p2p-port"), help: "P2P listening port (default 30303; 0 lets the OS choose).") var p2pPort: Int?
    @Option(help: "Comma-separated enode URLs to dial; DNS names resolve at every dial.") var bootnodes: String?
    @Option(name: .customLong("max-peers"), help: "Most peers at once, static peers not counted (default 25).") var maxPeers: Int?
    @Flag(name: .customLong("rpc-http-enabled"), help: "Serve JSON-RPC over HTTP.") var rpcHTTPEnabled = false
    @Option(name: .customLong("rpc-http-host")) var rpcHTTPHost: String?
    @Option(name: .customLong("rpc-http-port")) var rpcHTTPPort: Int?
    @Option(name: .customLong("rpc-http-api"), help: "Comma-separated namespaces, e.g. ETH,NET,WEB3.") var rpcHTTPAPI: String?
    @Flag(name: .customLong("rpc-ws-enabled"), help: "Serve JSON-RPC over WebSocket.") var rpcWSEnabled = false
    @Option(name: .customLong("rpc-ws-host"), help: "WebSocket JSON-RPC host (default 127.0.0.1).") var rpcWSHost: String?
    @Option(name: .customLong("rpc-ws-port")) var rpcWSPort: Int?
    @Option(name: .customLong("rpc-ws-api"), help: "Comma-separated namespaces for WebSocket.") var rpcWSAPI: String?
    @Option(name: .customLong("host-allowlist"), help: "Comma-separated hosts allowed to call RPC.") var hostAllowlist: String?
    @Option(name: .customLong("rpc-http-cors-origins")) var rpcHTTPCorsOrigins: String?
    @Option(name: .customLong("rpc-http-max-active-connections"), help: "Most HTTP JSON-RPC connections at once (default 1024).")
    var rpcHTTPMaxActiveConnections: Int?
    @Option(name: .customLong("rpc-http-max-connections-per-address"), help: "Most HTTP JSON-RPC connections from one IP address (default 256).")
    var rpcHTTPMaxConnectionsPerAddress: Int?
    @Option(name: .customLong("rpc-http-idle-timeout"), help: "Seconds before an HTTP connection with no request under way is closed (default 60).")
    var rpcHTTPIdleTimeout: Int?
    @Option(name: .customLong("rpc-http-request-timeout"), help: "Seconds a request's headers and body may take to arrive (default 30).")
    var rpcHTTPRequestTimeout: Int?
    @Option(name: .customLong("rpc-http-threads"), help: "Event-loop threads of the HTTP JSON-RPC endpoint (default: half the cores, at least 1).")
    var rpcHTTPThreads: Int?
    @Option(name: .customLong("rpc-http-max-batch-size"), help: "Most calls in one JSON-RPC batch (default 1024).")
    var rpcHTTPMaxBatchSize: Int?
    @Option(name: .customLong("rpc-max-logs-range"), help: "Most blocks one eth_getLogs query may scan (default 10000).")
    var rpcMaxLogsRange: Int?
    @Option(name: .customLong("rpc-max-response-size"), help: "Most response bytes one request or batch may produce (default 25000000).")
    var rpcMaxResponseSize: Int?
    @Option(name: .customLong("rpc-max-active-heavy-requests"), help: "Requests running heavy calls (getLogs, getProof, call, full blocks) at once; more wait (default cores - 1).")
    var rpcMaxActiveHeavyRequests: Int?
    @Option(name: .customLong("rpc-max-heavy-requests-per-address"), help: "Heavy requests one IP address may have running or waiting (default 64).")
    var rpcMaxHeavyRequestsPerAddress: Int?
    @Option(name: .customLong("rpc-ws-max-active-connections"), help: "Most WebSocket JSON-RPC connections at once (default 1024).")
    var rpcWSMaxActiveConnections: Int?
    @Option(name: .customLong("rpc-ws-max-frame-size"), help: "Largest WebSocket message in bytes (default 5242880).")
    var rpcWSMaxFrameSize: Int?
    @Option(name: .customLong("rpc-ws-handshake-timeout"), help: "Seconds a WebSocket upgrade request may take to arrive (default 10).")
    var rpcWSHandshakeTimeout: Int?
    @Option(name: .customLong("rpc-ws-idle-timeout"), help: "Seconds without a frame (pings are sent every half) before a WebSocket closes (default 60).")
    var rpcWSIdleTimeout: Int?
    @Option(name: .customLong("rpc-ws-max-outbound-buffer"), help: "Bytes queued for a WebSocket client that is not reading before it is closed (default 33554432).")
    var rpcWSMaxOutboundBuffer: Int?
    @Flag(name: .customLong("rpc-http-authentication-enabled"), help: "Require a JWT on JSON-RPC over HTTP.") var rpcHTTPAuthenticationEnabled = false
    @Flag(name: .customLong("rpc-ws-authentication-enabled"), help: "Require a JWT on JSON-RPC over WebSocket.") var rpcWSAuthenticationEnabled = false
    @Option(name: .customLong("rpc-http-authentication-jwt-public-key-file"), help: "RS256/ES256 PEM public key whose tokens are accepted.")
    var rpcHTTPAuthenticationJWTPublicKeyFile: String?
    @Option(name: .customLong("rpc-http-authentication-credentials-file"), help: "TOML users (password hashes, permissions); enables POST /login.")
    var rpcHTTPAuthenticationCredentialsFile: String?
    @Flag(name: .customLong("metrics-enabled"), help: "Serve Prometheus metrics at /metrics.") var metricsEnabled = false
    @Option(name: .customLong("metrics-host")) var metricsHost: String?
    @Option(name: .customLong("metrics-port")) var metricsPort: Int?
    @Option(name: .customLong("min-gas-price"), help: "Smallest gas price (wei) the pool accepts.") var minGasPrice: String?
    @Option(name: .customLong("tx-pool-retention-hours"), help: "Hours a queued transaction (behind a nonce gap) is kept (default 3).")
    var txPoolRetentionHours: Int?
    @Option(name: .customLong("tx-pool-max-size"), help: "Executable transactions the pool keeps, over all senders (default 32768).")
    var txPoolMaxSize: Int?
    @Option(name: .customLong("strict-tx-replay-protection-enabled"), help: "Refuse RPC transactions without EIP-155 replay protection (default true).")
    var strictTxReplayProtectionEnabled: Bool?
    @Flag(name: .customLong("permissions-nodes-config-file-enabled"), help: "Only peers on the nodes allow-list may connect.")
    var permissionsNodesConfigFileEnabled = false
    @Option(name: .customLong("permissions-nodes-config-file"), help: "TOML with nodes-allowlist = [\"enode://…\"] (default DATA_PATH/permissions_config.toml).")
    var permissionsNodesConfigFile: String?
    @Flag(name: .customLong("permissions-accounts-config-file-enabled"), help: "Only senders on the accounts allow-list may submit.")
    var permissionsAccountsConfigFileEnabled = false
    @Option(name: .customLong("permissions-accounts-config-file"), help: "TOML with accounts-allowlist = [\"0x…\"] (default DATA_PATH/permissions_config.toml).")
    var permissionsAccountsConfigFile: String?
    @Option(name: .customLong("pruning-enabled"), help: "Prune old state (true) or keep every state (false, archive).") var pruningEnabled: Bool?
    @Option(name: .customLong("pruning-blocks-retained"), help: "States kept when pruning (default 128).") var pruningBlocksRetained: Int?
    @Option(name: .customLong("validator-private-key-file"), help: "Key that seals (default: the node key); hot-standby members share it.")
    var validatorPrivateKeyFile: String?
    @Option(name: .customLong("validator-lease-endpoints"), help: "etcd client URLs, e.g. http://127.0.0.1:2379: sign only while holding the lease.")
    var validatorLeaseEndpoints: String?
    @Option(name: .customLong("validator-lease-key"), help: "etcd key the hot-standby members compete for, e.g. /sankofa/NETWORK/VALIDATOR.")
    var validatorLeaseKey: String?
    @Option(name: .customLong("validator-lease-ttl"), help: "Seconds the lease lives unless renewed (default 5).") var validatorLeaseTTL: Int?
    @Option(help: "TRACE, DEBUG, INFO, WARN, ERROR.") var logging: String?
    @Option(name: .customLong("config-file"), help: "TOML file; keys are the flag names without dashes.") var configFile: String?

    /// The flags actually given, as configuration pairs.
    var pairs: [(String, ConfigValue)] {
        var out: [(String, ConfigValue)] = []
        func add(_ key: String, _ value: String?) { if let value { out.append((key, .string(value))) } }
        func add(_ key: String, _ value: Int?) { if let value { out.append((key, .integer(value))) } }
        add("genesis-file", genesisFile)
        add("data-path", dataPath)
        add("tier", tier)
        add("mode", mode)
        add("light-checkpoint", lightCheckpoint)
        add("node-private-key-file", nodePrivateKeyFile)
        add("p2p-host", p2pHost)
        add("p2p-port", p2pPort)
        add("bootnodes", bootnodes)
        add("max-peers", maxPeers)
        if rpcHTTPEnabled { out.append(("rpc-http-enabled", .bool(true))) }
        add("rpc-http-host", rpcHTTPHost)
        add("rpc-http-port", rpcHTTPPort)
        add("rpc-http-api", rpcHTTPAPI)
        if rpcWSEnabled { out.append(("rpc-ws-enabled", .bool(true))) }
        add("rpc-ws-host", rpcWSHost)
        add("rpc-ws-port", rpcWSPort)
        add("rpc-ws-api", rpcWSAPI)
        add("host-allowlist", hostAllowlist)
        add("rpc-http-cors-origins", rpcHTTPCorsOrigins)
        add("rpc-http-max-active-connections", rpcHTTPMaxActiveConnections)
        add("rpc-http-max-connections-per-address", rpcHTTPMaxConnectionsPerAddress)
        add("rpc-http-idle-timeout", rpcHTTPIdleTimeout)
        add("rpc-http-request-timeout", rpcHTTPRequestTimeout)
        add("rpc-http-threads", rpcHTTPThreads)
        add("rpc-http-max-batch-size", rpcHTTPMaxBatchSize)
        add("rpc-max-logs-range", rpcMaxLogsRange)
        add("rpc-max-response-size", rpcMaxResponseSize)
        add("rpc-max-active-heavy-requests", rpcMaxActiveHeavyRequests)
        add("rpc-max-heavy-requests-per-address", rpcMaxHeavyRequestsPerAddress)
        add("rpc-ws-max-active-connections", rpcWSMaxActiveConnections)
        add("rpc-ws-max-frame-size", rpcWSMaxFrameSize)
        add("rpc-ws-handshake-timeout", rpcWSHandshakeTimeout)
        add("rpc-ws-idle-timeout", rpcWSIdleTimeout)
        add("rpc-ws-max-outbound-buffer", rpcWSMaxOutboundBuffer)
        if rpcHTTPAuthenticationEnabled { out.append(("rpc-http-authentication-enabled", .bool(true))) }
        if rpcWSAuthenticationEnabled { out.append(("rpc-ws-authentication-enabled", .bool(true))) }
        add("rpc-http-authentication-jwt-public-key-file", rpcHTTPAuthenticationJWTPublicKeyFile)
        add("rpc-http-authentication-credentials-file", rpcHTTPAuthenticationCredentialsFile)
        if metricsEnabled { out.append(("metrics-enabled", .bool(true))) }
        add("metrics-host", metricsHost)
        add("metrics-port", metricsPort)
        add("min-gas-price", minGasPrice)
        add("tx-pool-retention-hours", txPoolRetentionHours)
        add("tx-pool-max-size", txPoolMaxSize)
        if let strictTxReplayProtectionEnabled { out.append(("strict-tx-replay-protection-enabled", .bool(strictTxReplayProtectionEnabled))) }
        if permissionsNodesConfigFileEnabled { out.append(("permissions-nodes-config-file-enabled", .bool(true))) }
        add("permissions-nodes-config-file", permissionsNodesConfigFile)
        if permissionsAccountsConfigFileEnabled { out.append(("permissions-accounts-config-file-enabled", .bool(true))) }
        add("permissions-accounts-config-file", permissionsAccountsConfigFile)
        if let pruningEnabled { out.append(("pruning-enabled", .bool(pruningEnabled))) }
        add("pruning-blocks-retained", pruningBlocksRetained)
        add("validator-private-key-file", validatorPrivateKeyFile)
        add("validator-lease-endpoints", validatorLeaseEndpoints)
        add("validator-lease-key", validatorLeaseKey)
        add("validator-lease-ttl", validatorLeaseTTL)
        add("logging", logging)
        return out
    }
}
