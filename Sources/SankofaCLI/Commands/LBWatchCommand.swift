import ArgumentParser
import Foundation
import Logging
import SankofaLBWatch
import SankofaRPC

/// `sankofa lb-watch`: keeps an HAProxy configuration in step with NodeRegistry's nodes in some zones, applying
/// final events only, status changes through the runtime API and membership changes through a checked reload.
struct LBWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lb-watch", abstract: "Follow NodeRegistry and keep HAProxy's backends in step.")

    @Option(help: "The node's WebSocket JSON-RPC, ws://HOST:PORT.") var rpc: String
    @Option(name: .customLong("rpc-token-file"), help: "Bearer token for a node with WebSocket authentication (re-read on reconnect).")
    var rpcTokenFile: String?
    @Option(help: "Zones to serve: ASCII (eu) or 0x-prefixed 32-byte hex, comma-separated.") var zone: String
    @Option(name: .customLong("haproxy-config"), help: "The HAProxy configuration file lb-watch owns.") var haproxyConfig: String
    @Option(name: .customLong("haproxy-socket"), help: "HAProxy runtime API socket (stats socket, level admin).")
    var haproxySocket: String?
    @Option(name: .customLong("haproxy-master-socket"), help: "HAProxy master CLI socket (haproxy -W -S PATH), used to reload.")
    var haproxyMasterSocket: String?
    @Option(name: .customLong("reload-command"), help: "Shell command that reloads HAProxy gracefully.") var reloadCommand: String?
    @Option(name: .customLong("haproxy-binary"), help: "haproxy, for `haproxy -c -f`.") var haproxyBinary = "haproxy"
    @Option(help: "A template with {{stats_socket}}, {{frontends}}, {{backends}}, {{block}}.") var template: String?
    @Option(name: .customLong("api-host")) var apiHost = "127.0.0.1"
    @Option(name: .customLong("api-port"), help: "HTTP API: /status, /config, POST /reload, /metrics.") var apiPort = 8080
    @Option(name: .customLong("api-authentication-jwt-public-key-file"), help: "RS256/ES256 PEM key whose tokens may use the API.")
    var apiJWTPublicKeyFile: String?
    @Option(help: "Blocks on top of an event before it is applied (default: 6 on Clique, 0 on QBFT, asked of the node).")
    var confirmations: UInt64?
    @Option(help: "roundrobin or leastconn.") var balance = "roundrobin"
    @Option(name: .customLong("health-path"), help: "Path of the HTTP health check.") var healthPath = "/"
    @Option(name: .customLong("frontend-bind"), help: "First zone's frontend HOST:PORT; zone n listens on PORT+n.")
    var frontendBind = "127.0.0.1:8000"

    func settings() throws -> LBWatchSettings {
        guard let url = URLComponents(string: rpc), url.scheme == "ws", let host = url.host, let port = url.port else {
            throw CLIError.invalidFlag(flag: "--rpc", expected: "ws://HOST:PORT (e.g. ws://127.0.0.1:8546)")
        }
        var zones: [Zone] = []
        for text in zone.split(separator: ",") {
            guard let parsed = Zone(String(text)) else {
                throw CLIError.invalidFlag(flag: "--zone", expected: "ASCII of at most 32 bytes or 0x + 64 hex digits, not \(text)")
            }
            zones.append(parsed)
        }
        guard !zones.isEmpty else { throw CLIError.missingFlag("--zone") }
        guard let balance = HAProxyConfigRenderer.Balance(rawValue: balance) else {
            throw CLIError.invalidFlag(flag: "--balance", expected: "roundrobin or leastconn")
        }
        guard healthPath.hasPrefix("/"), healthPath.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw CLIError.invalidFlag(flag: "--health-path", expected: "a path starting with / without spaces")
        }
        guard let bind = try? Endpoint(validating: frontendBind) else {
            throw CLIError.invalidFlag(flag: "--frontend-bind", expected: "HOST:PORT")
        }
        guard reloadCommand != nil || haproxyMasterSocket != nil else {
            throw CLIError.missingFlag("--reload-command or --haproxy-master-socket")
        }
        var controller = HAProxyController(configPath: haproxyConfig)
        controller.haproxyBinary = haproxyBinary
        controller.runtimeSocket = haproxySocket
        controller.masterSocket = haproxyMasterSocket
        controller.reloadCommand = reloadCommand
        var settings = LBWatchSettings(controller: controller)
        settings.rpcHost = host
        settings.rpcPort = port
        settings.rpcPath = url.path.isEmpty ? "/" : url.path
        settings.zones = zones
        settings.rpcTokenFile = rpcTokenFile
        settings.confirmations = confirmations
        settings.renderer.balance = balance
        settings.renderer.healthPath = healthPath
        settings.renderer.frontendHost = bind.host
        settings.renderer.frontendPort = bind.port
        settings.renderer.statsSocket = haproxySocket
        if let template {
            do { settings.renderer.template = try String(contentsOfFile: template, encoding: .utf8) } catch {
                throw CLIError.file(path: template, reason: "cannot read the template (\(error.localizedDescription))")
            }
        }
        return settings
    }

    func run() async throws {
        let settings = try settings()
        let authentication = try cli {
            try apiJWTPublicKeyFile.map { path in
                let pem: String
                do { pem = try String(contentsOfFile: path, encoding: .utf8) } catch {
                    throw CLIError.file(path: path, reason: "cannot read the JWT public key")
                }
                return try RPCAuthenticator(publicKey: try JWTKey.publicKey(pem: pem), credentials: nil)
            }
        }
        var logger = Logger(label: "lb-watch")
        logger.logLevel = .info
        let watcher = LBWatcher(settings: settings, logger: logger)
        let api = LBWatchAPI(host: apiHost, port: apiPort, watcher: watcher, authentication: authentication, logger: logger)
        let server = try await cliAsync { try await api.bind() }
        logger.info("lb-watch: API on http://\(apiHost):\(server.channel.localAddress?.port ?? apiPort), following \(rpc)")
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await watcher.run() }
            group.addTask { try? await api.serve(server) }
            await group.waitForAll()
        }
    }
}
