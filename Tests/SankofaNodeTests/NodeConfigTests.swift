import Foundation
import Testing
import SankofaRPC
@testable import SankofaNode

@Suite("Node configuration")
struct NodeConfigTests {
    @Test func embeddedDevGenesisIsGenesisDevJSON() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Genesis/dev.json")
        let onDisk = try String(contentsOf: file, encoding: .utf8)
        #expect(onDisk.trimmingCharacters(in: .whitespacesAndNewlines) == DevGenesis.json.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func tomlThenFlagsOverride() throws {
        var config = NodeConfig()
        try config.apply(toml: """
            genesis-file = "/etc/sankofa/genesis.json"
            data-path = "/var/lib/sankofa"
            tier = "regional"
            rpc-http-enabled = true
            rpc-http-port = 8645
            rpc-http-api = ["eth", "net", "txpool"]
            bootnodes = ["enode://abc@10.0.0.1:30303"]
            min-gas-price = 1000
            pruning-enabled = false
            """)
        #expect(config.mode == .replica && config.rpcHTTPEnabled && config.rpcHTTPPort == 8645)
        #expect(config.rpcHTTPAPI == ["ETH", "NET", "TXPOOL"] && config.bootnodes.count == 1)
        #expect(config.minGasPrice == 1000 && !config.pruningEnabled)
        // Flags come after the file and win.
        try config.apply("rpc-http-port", .integer(9000))
        try config.apply("mode", .string("validator"))
        try config.apply("rpc-http-api", .string("ETH, ADMIN"))
        #expect(config.rpcHTTPPort == 9000 && config.mode == .validator && config.rpcHTTPAPI == ["ETH", "ADMIN"])
    }

    @Test func txPoolRetentionHoursSetting() throws {
        var config = NodeConfig()
        #expect(config.txPoolRetentionHours == 3)
        try config.apply(toml: "tx-pool-retention-hours = 12")
        #expect(config.txPoolRetentionHours == 12)
    }

    @Test func txPoolMaxSizeSetting() throws {
        var config = NodeConfig()
        #expect(config.txPoolMaxSize == 32_768)
        try config.apply(toml: "tx-pool-max-size = 4096")
        #expect(config.txPoolMaxSize == 4_096)
    }

    @Test func httpConnectionLimitsAndTimeouts() throws {
        var config = NodeConfig()
        #expect(config.rpcHTTPMaxActiveConnections == 1_024 && config.rpcHTTPMaxConnectionsPerAddress == 256)
        #expect(config.rpcHTTPIdleTimeoutSeconds == 60 && config.rpcHTTPRequestTimeoutSeconds == 30)
        try config.apply(toml: "rpc-http-max-active-connections = 80\nrpc-http-max-connections-per-address = 8\nrpc-http-idle-timeout = 5\nrpc-http-request-timeout = 2")
        #expect(config.rpcHTTPMaxActiveConnections == 80 && config.rpcHTTPMaxConnectionsPerAddress == 8)
        #expect(config.rpcHTTPIdleTimeoutSeconds == 5 && config.rpcHTTPRequestTimeoutSeconds == 2)
        #expect(throws: ConfigError("rpc-http-idle-timeout must be a whole number ≥ 1")) { try config.apply("rpc-http-idle-timeout", .integer(0)) }
        #expect(config.rpcHTTPThreads == RPCHTTPSettings.defaultEventLoopThreads && config.rpcHTTPThreads >= 1)
        try config.apply(toml: "rpc-http-threads = 3")
        #expect(config.rpcHTTPThreads == 3)
        #expect(throws: ConfigError("rpc-http-threads must be a whole number ≥ 1")) { try config.apply("rpc-http-threads", .integer(0)) }
    }

    /// Issue 18: every RPC work limit and WebSocket bound has a key (Besu's name where Besu has one).
    @Test func rpcWorkLimitsAndWebSocketBounds() throws {
        var config = NodeConfig()
        #expect(config.rpcLimits == RPCLimits() && config.rpcLimits.maxBatchSize == 1_024 && config.rpcLimits.maxLogsRange == 10_000)
        #expect(config.rpcWSMaxActiveConnections == 1_024 && config.rpcWSHandshakeTimeoutSeconds == 10 && config.rpcWSIdleTimeoutSeconds == 60)
        try config.apply(toml: """
            rpc-http-max-batch-size = 100
            rpc-max-logs-range = 5000
            rpc-max-response-size = 1000000
            rpc-max-active-heavy-requests = 3
            rpc-max-heavy-requests-per-address = 4
            rpc-ws-max-active-connections = 80
            rpc-ws-max-frame-size = 1048576
            rpc-ws-handshake-timeout = 5
            rpc-ws-idle-timeout = 30
            rpc-ws-max-outbound-buffer = 8388608
            """)
        #expect(config.rpcLimits.maxBatchSize == 100 && config.rpcLimits.maxLogsRange == 5_000)
        #expect(config.rpcLimits.maxResponseBytes == 1_000_000 && config.rpcLimits.maxActiveHeavyRequests == 3)
        #expect(config.rpcLimits.maxHeavyRequestsPerAddress == 4 && config.rpcWSMaxActiveConnections == 80)
        #expect(config.rpcWSMaxFrameSize == 1_048_576 && config.rpcWSHandshakeTimeoutSeconds == 5)
        #expect(config.rpcWSIdleTimeoutSeconds == 30 && config.rpcWSMaxOutboundBuffer == 8_388_608)
        #expect(throws: ConfigError("rpc-max-logs-range must be a whole number ≥ 1")) { try config.apply("rpc-max-logs-range", .integer(0)) }
    }

    @Test func strictReplayProtectionIsOnUnlessTurnedOff() throws {
        var config = NodeConfig()
        #expect(config.strictTxReplayProtectionEnabled)
        try config.apply(toml: "strict-tx-replay-protection-enabled = false")
        #expect(!config.strictTxReplayProtectionEnabled)
    }

    @Test func hotStandbySettings() throws {
        var config = NodeConfig()
        try config.apply(toml: """
            validator-private-key-file = "/etc/sankofa/validator.key"
            validator-lease-endpoints = "http://10.0.0.1:2379, http://10.0.0.2:2379"
            validator-lease-key = "/sankofa/net/validator-1"
            """)
        try config.apply("validator-lease-ttl", .integer(7))
        #expect(config.validatorPrivateKeyFile == "/etc/sankofa/validator.key")
        #expect(config.validatorLeaseEndpoints == ["http://10.0.0.1:2379", "http://10.0.0.2:2379"])
        #expect(config.validatorLeaseKey == "/sankofa/net/validator-1")
        #expect(config.validatorLeaseTTL == 7)
        #expect(NodeConfig().validatorLeaseTTL == 5)
    }

    @Test("bad settings name the key", arguments: [
        ("rpc-http-port = 70000", "rpc-http-port must be a port number"),
        ("unknown-thing = 1", "unknown setting \"unknown-thing\""),
        ("tier = \"mars\"", "tier must be core, regional or edge"),
        ("metrics-enabled = \"yes\"", "metrics-enabled must be true or false"),
        ("this is not toml", "not valid TOML"),
        ("logging = \"LOUD\"", "logging must be one of"),
        ("tx-pool-retention-hours = 0", "tx-pool-retention-hours must be a whole number of hours from 1 to 8760"),
        ("tx-pool-max-size = 0", "tx-pool-max-size must be a whole number of transactions from 1 to 1000000"),
        ("validator-lease-ttl = 1", "validator-lease-ttl must be a whole number of seconds from 2 (etcd's minimum) to 300"),
        ("validator-lease-key = \"sankofa\"", "validator-lease-key must be an etcd key path such as /sankofa/<network>/<validator>"),
    ])
    func badSettings(toml: String, message: String) {
        var config = NodeConfig()
        do {
            try config.apply(toml: toml)
            Issue.record("accepted: \(toml)")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }
}

@Suite("Account allowlist file")
struct AccountAllowlistTests {
    func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("accounts-\(UUID().uuidString).toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func parsesBesuFormat() throws {
        let path = try write("accounts-allowlist = [\"0x627306090abaB3A6e1400e9345bC60c78a8BEf57\", \"0xf17f52151ebef6c7334fad080c5704d77216b732\"]\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let allowed = try AccountAllowlist.load(path: path)
        #expect(allowed.count == 2)
    }

    @Test func refusesBadFiles() throws {
        for text in ["nodes-allowlist = []", "accounts-allowlist = [\"0x12\"]", "not toml ="] {
            let path = try write(text)
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect(throws: ConfigError.self) { _ = try AccountAllowlist.load(path: path) }
        }
        #expect(throws: ConfigError.self) { _ = try AccountAllowlist.load(path: "/nonexistent/accounts.toml") }
    }
}
