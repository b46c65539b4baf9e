import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SankofaJSON
import SankofaTestSupport
import Testing

/// `sankofa run` with Besu's authentication flags: the flags reach both transports, `/login` works with a hash
/// from `sankofa password hash`, and an unreadable key file stops the node with one line.
@Suite("sankofa run with RPC authentication", .enabled(if: SankofaBinary.available))
struct AuthFlagsEndToEndTests {
    @Test func credentialsFileLoginAndScopes() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-auth-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let key = directory + "/node.key"
        let address = try SankofaBinary.run(["keys", "generate", "--output", key]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let genesis = try SankofaBinary.run(["genesis", "new", "--consensus", "clique", "--chain-id", "99", "--validator", address])
        try genesis.stdout.write(toFile: directory + "/genesis.json", atomically: true, encoding: .utf8)
        let hash = try SankofaBinary.run(["password", "hash", "--password", "pw", "--iterations", "1000"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(hash.hasPrefix("pbkdf2-sha256$1000$"))
        try "[Users.alice]\npassword = \"\(hash)\"\npermissions = [\"eth:*\"]\n".write(toFile: directory + "/users.toml", atomically: true, encoding: .utf8)

        let port = try DevRPCEndToEndTests.freePort()
        let node = Process()
        node.executableURL = URL(fileURLWithPath: try #require(SankofaBinary.path))
        node.arguments = ["run", "--genesis-file", directory + "/genesis.json", "--data-path", directory + "/data",
                          "--node-private-key-file", key, "--p2p-port", "0", "--rpc-http-enabled", "--rpc-http-port", String(port),
                          "--rpc-http-authentication-enabled", "--rpc-http-authentication-credentials-file", directory + "/users.toml"]
        node.standardOutput = Pipe()
        node.standardError = Pipe()
        try node.run()
        defer { if node.isRunning { kill(node.processIdentifier, SIGKILL) } }

        func post(_ path: String, _ body: String, token: String? = nil) async throws -> (Int, JSON) {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
            request.httpMethod = "POST"
            request.timeoutInterval = 10
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            request.httpBody = Data(body.utf8)
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, (try? JSONParser.parse(Array(data))) ?? .null)
        }
        var live = false
        for _ in 0..<100 where !live {
            live = (try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/liveness")!)) != nil
            if !live { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(live)
        let chainId = #"{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}"#
        #expect(try await post("/", chainId).0 == 401)
        #expect(try await post("/login", #"{"username":"alice","password":"nope"}"#).0 == 401)
        let (ok, login) = try await post("/login", #"{"username":"alice","password":"pw"}"#)
        #expect(ok == 200)
        let token = try #require(login["token"]?.stringValue)
        #expect(try await post("/", chainId, token: token).1["result"] == .string("0x63"))
        #expect(try await post("/", #"{"jsonrpc":"2.0","id":1,"method":"net_version"}"#, token: token).0 == 401)
    }

    @Test func missingOrUnreadableAuthFilesStopTheNodeWithOneLine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-auth-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let key = directory + "/node.key"
        let address = try SankofaBinary.run(["keys", "generate", "--output", key]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let genesis = try SankofaBinary.run(["genesis", "new", "--consensus", "clique", "--chain-id", "99", "--validator", address])
        try genesis.stdout.write(toFile: directory + "/genesis.json", atomically: true, encoding: .utf8)
        let base = ["run", "--genesis-file", directory + "/genesis.json", "--data-path", directory + "/data", "--node-private-key-file", key,
                    "--rpc-http-enabled", "--rpc-http-port", "0", "--rpc-http-authentication-enabled"]
        let neither = try SankofaBinary.run(base)
        #expect(neither.status != 0)
        #expect(neither.stderr.contains("neither a JWT public key file nor a credentials file"))
        let unreadable = try SankofaBinary.run(base + ["--rpc-http-authentication-jwt-public-key-file", directory + "/missing.pem"])
        #expect(unreadable.status != 0)
        #expect(unreadable.stderr.contains("--rpc-http-authentication-jwt-public-key-file"))
        try "not a key".write(toFile: directory + "/bad.pem", atomically: true, encoding: .utf8)
        let bad = try SankofaBinary.run(base + ["--rpc-http-authentication-jwt-public-key-file", directory + "/bad.pem"])
        #expect(bad.stderr.contains("PEM public key"))
    }
}
