import Foundation
import Logging
import SankofaJSON
import SankofaRPC
import Testing
@testable import SankofaLBWatch

/// The lb-watch HTTP API behind the JWT check, and the installer's refusal of a configuration HAProxy rejects.
@Suite("lb-watch API and installer")
struct LBWatchAPITests {
    @Test func apiNeedsAScopedTokenWhenConfigured() async throws {
        let issuer = try JWTKey.generate(.es256)
        let auth = try RPCAuthenticator(publicKey: try JWTKey.publicKey(pem: issuer.publicKeyPEM()), credentials: nil)
        let watcher = LBWatcher(settings: LBWatchSettings(controller: HAProxyController(configPath: "/nonexistent")),
                                logger: Logger(label: "api-test"))
        let api = LBWatchAPI(host: "127.0.0.1", port: 0, watcher: watcher, authentication: auth, logger: Logger(label: "api-test"))
        let server = try await api.bind()
        let port = try #require(server.channel.localAddress?.port)
        let task = Task { try await api.serve(server) }
        defer {
            task.cancel()
            server.channel.close(promise: nil)
        }
        func token(_ permissions: [String]) throws -> String {
            try JWT.sign(JWTClaims(username: "ops", permissions: RPCPermissions(permissions), expiresAt: Int64(Date().timeIntervalSince1970) + 60),
                         issuedAt: Int64(Date().timeIntervalSince1970), key: issuer)
        }
        let base = "http://127.0.0.1:\(port)"
        #expect(try await HTTP.get(base + "/status").0 == 401)
        #expect(try await HTTP.get(base + "/status", headers: ["Authorization": "Bearer \(try token(["net:*"]))"]).0 == 401)
        let (code, body) = try await HTTP.get(base + "/status", headers: ["Authorization": "Bearer \(try token(["lbwatch:status"]))"])
        #expect(code == 200)
        #expect(try JSONParser.parse(Array(body.utf8))["lastBlockApplied"] == .null)
        #expect(try await HTTP.get(base + "/reload", method: "POST", headers: ["Authorization": "Bearer \(try token(["lbwatch:status"]))"]).0 == 401)
        #expect(try await HTTP.get(base + "/reload", method: "POST", headers: ["Authorization": "Bearer \(try token(["*:*"]))"]).0 == 500)
        #expect(try await HTTP.get(base + "/metrics").0 == 200)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/haproxy")))
    func aConfigurationHAProxyRefusesIsNeverInstalled() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lbwatch-check-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/haproxy.cfg"
        var renderer = HAProxyConfigRenderer()
        renderer.frontendPort = 18_000
        let good = renderer.render(zones: [Zone("eu")!], nodes: [], block: 1)
        let controller = HAProxyController(configPath: path)
        try controller.install(good)
        renderer.template += "\nthis-is-not-a-directive\n"
        let bad = renderer.render(zones: [Zone("eu")!], nodes: [], block: 2)
        #expect(throws: HAProxyError.self) { try controller.install(bad) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == good)
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp"))
        try controller.install(renderer.render(zones: [Zone("eu")!, Zone("us")!], nodes: [], block: 3).replacingOccurrences(of: "\nthis-is-not-a-directive\n", with: "\n"))
        #expect(try String(contentsOfFile: path + ".prev", encoding: .utf8) == good)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/haproxy")))
    func everyProtocolAndStatusRendersAConfigurationHAProxyAccepts() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lbwatch-shapes-\(UUID().uuidString.prefix(8)).cfg").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (eu, us) = (Zone("eu")!, Zone("0x" + String(repeating: "ab", count: 32))!)
        var nodes: [ServiceNode] = []
        for proto in 1...3 {
            for status in 1...3 {
                nodes.append(ServiceNode(id: [UInt8](repeating: UInt8(proto * 10 + status), count: 32), zone: proto == 2 ? us : eu,
                                         rawEndpoint: status == 3 ? "[::1]:90\(proto)\(status)" : "localhost:90\(proto)\(status)",
                                         nodeProtocol: UInt8(proto), status: UInt8(status)))
            }
        }
        var renderer = HAProxyConfigRenderer()
        renderer.balance = .leastconn
        renderer.statsSocket = "/tmp/lbwatch-shapes.sock"
        try renderer.render(zones: [eu, us], nodes: nodes, block: 9).write(toFile: path, atomically: true, encoding: .utf8)
        #expect(HAProxyController.run("/usr/sbin/haproxy", ["-c", "-q", "-f", path]).status == 0)
    }
}
