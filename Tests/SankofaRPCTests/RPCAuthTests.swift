import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import SankofaJSON
import SankofaTestSupport
import Testing
@testable import SankofaRPC

/// JWT-authenticated JSON-RPC over HTTP and WebSocket (Besu's `--rpc-*-authentication-*` flags), on ephemeral ports.
@Suite("RPC authentication", .serialized)
struct RPCAuthTests {
    static let issuer = try! JWTKey.generate(.es256)
    static let rsaIssuer = try! JWTKey.generate(.rs256)
    static let now = Int64(Date().timeIntervalSince1970)
    static let credentials = RPCCredentials(users: [
        RPCUser(name: "alice", password: try! PasswordHash(hashing: "correct horse", iterations: 20_000),
                permissions: RPCPermissions(["eth:chainId", "net:*"])),
    ])

    static func token(_ key: JWTKey = issuer, permissions: [String] = ["*:*"], expiresIn: Int64 = 300) throws -> String {
        try JWT.sign(JWTClaims(username: "bob", permissions: RPCPermissions(permissions), expiresAt: now + expiresIn),
                     issuedAt: now, key: key)
    }

    static func authenticator(_ key: JWTKey = issuer) throws -> RPCAuthenticator {
        try RPCAuthenticator(publicKey: try JWTKey.publicKey(pem: key.publicKeyPEM()), credentials: credentials)
    }

    func withServer(_ auth: RPCAuthenticator, _ body: (_ port: Int) async throws -> Void) async throws {
        try await withRPCServer({ $0.authentication = auth }) { port, _ in try await body(port) }
    }

    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 20
        configuration.httpMaximumConnectionsPerHost = 64
        return URLSession(configuration: configuration)
    }()

    func post(_ port: Int, path: String = "/", _ body: String, token: String? = nil) async throws -> (Int, JSON) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        request.httpBody = Data(body.utf8)
        let (data, response) = try await Self.session.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        return (status, (try? JSONParser.parse(Array(data))) ?? .null)
    }

    static let chainId = #"{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}"#

    @Test func validTokensFromBothAlgorithmsAreAccepted() async throws {
        for key in [Self.issuer, Self.rsaIssuer] {
            try await withServer(try Self.authenticator(key)) { port in
                let (status, reply) = try await post(port, Self.chainId, token: try Self.token(key))
                #expect(status == 200)
                #expect(reply["result"] != nil)
            }
        }
    }

    @Test func refusedTokensGet401() async throws {
        let valid = try Self.token()
        let parts = valid.split(separator: ".").map(String.init)
        let otherPayload = Base64URL.encode(Array(#"{"username":"bob","permissions":["*:*"],"exp":9999999999}"#.utf8))
        let noneHeader = Base64URL.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8))
        let hsHeader = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let cases: [(String, String?)] = [
            ("missing", nil),
            ("expired", try Self.token(expiresIn: -1)),
            ("tampered", parts[0] + "." + otherPayload + "." + parts[2]),
            ("alg none", noneHeader + "." + otherPayload + "."),
            ("alg HS256", hsHeader + "." + otherPayload + "." + parts[2]),
            ("wrong key", try Self.token(try JWTKey.generate(.es256))),
            ("garbage", "not.a.token"),
            ("crit header", Base64URL.encode(Array(#"{"alg":"ES256","crit":["x"]}"#.utf8)) + "." + parts[1] + "." + parts[2]),
        ]
        try await withServer(try Self.authenticator()) { port in
            for (name, token) in cases {
                let (status, _) = try await post(port, Self.chainId, token: token)
                #expect(status == 401, "\(name) token was not refused")
            }
            // The health checks stay open.
            let (data, response) = try await Self.session.data(from: URL(string: "http://127.0.0.1:\(port)/liveness")!)
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            #expect(!data.isEmpty)
        }
    }

    @Test func missingPermissionGets401WithBesusError() async throws {
        try await withServer(try Self.authenticator()) { port in
            let token = try Self.token(permissions: ["net:*", "eth:blockNumber"])
            let (refused, reply) = try await post(port, Self.chainId, token: token)
            #expect(refused == 401)
            #expect(reply["error"]?["code"]?.intValue == -40100)
            let (allowed, _) = try await post(port, #"{"jsonrpc":"2.0","id":1,"method":"net_version"}"#, token: token)
            #expect(allowed == 200)
            let (batch, _) = try await post(port, #"[{"jsonrpc":"2.0","id":1,"method":"net_version"},{"jsonrpc":"2.0","id":2,"method":"eth_chainId"}]"#, token: token)
            #expect(batch == 401)
            // A body over 16 KiB is checked too (off the event loop, where it is parsed).
            let large = "[" + (1...400).map { #"{"jsonrpc":"2.0","id":\#($0),"method":"net_version"}"# }.joined(separator: ",")
            let (largeAllowed, _) = try await post(port, large + "]", token: token)
            #expect(largeAllowed == 200)
            let (largeRefused, _) = try await post(port, large + #",{"jsonrpc":"2.0","id":0,"method":"eth_chainId"}]"#, token: token)
            #expect(largeRefused == 401)
        }
    }

    @Test func loginIssuesScopedTokensAndRefusesWrongPasswords() async throws {
        try await withServer(try Self.authenticator()) { port in
            let (wrong, _) = try await post(port, path: "/login", #"{"username":"alice","password":"nope"}"#)
            #expect(wrong == 401)
            let (unknown, _) = try await post(port, path: "/login", #"{"username":"mallory","password":"nope"}"#)
            #expect(unknown == 401)
            let (ok, reply) = try await post(port, path: "/login", #"{"username":"alice","password":"correct horse"}"#)
            #expect(ok == 200)
            let token = try #require(reply["token"]?.stringValue)
            #expect(try await post(port, Self.chainId, token: token).0 == 200)
            #expect(try await post(port, #"{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber"}"#, token: token).0 == 401)
        }
    }

    @Test func aThousandWrongLoginsDoNotSlowOtherCallers() async throws {
        let auth = try Self.authenticator()
        // The attacker has its own connections (URLSession limits connections per host, not per port).
        let attacker: URLSession = {
            let configuration = URLSessionConfiguration.ephemeral
            configuration.timeoutIntervalForRequest = 60
            configuration.httpMaximumConnectionsPerHost = 40
            return URLSession(configuration: configuration)
        }()
        try await withServer(auth) { port in
            let token = try Self.token()
            let clock = ContinuousClock()
            func login() async throws -> Int {
                var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/login")!)
                request.httpMethod = "POST"
                request.httpBody = Data(#"{"username":"alice","password":"guess"}"#.utf8)
                let (_, response) = try await attacker.data(for: request)
                return (response as? HTTPURLResponse)?.statusCode ?? 0
            }
            let flood = Task {
                try await withThrowingTaskGroup(of: [Int].self) { group in
                    for _ in 0..<40 {
                        group.addTask {
                            var statuses: [Int] = []
                            for _ in 0..<25 { statuses.append(try await login()) }
                            return statuses
                        }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
            }
            var latencies: [Duration] = []
            for _ in 0..<40 {
                let start = clock.now
                #expect(try await post(port, Self.chainId, token: token).0 == 200)
                latencies.append(clock.now - start)
                try await Task.sleep(for: .milliseconds(20))
            }
            let statuses = try await flood.value
            #expect(statuses.count == 1_000)
            #expect(statuses.allSatisfy { $0 == 401 || $0 == 429 })
            #expect(statuses.contains(429), "the login queue never filled, so the bound was not exercised")
            latencies.sort()
            // Bounds loose enough for a loaded 2-core machine, far below what 1,000 serial PBKDF2 checks would cost.
            #expect(latencies[latencies.count / 2] < .milliseconds(300), "median authorised call took \(latencies[latencies.count / 2])")
            #expect(latencies[latencies.count - 1] < .seconds(3), "slowest authorised call took \(latencies[latencies.count - 1])")
        }
    }

    @Test func webSocketCallsWithoutAValidTokenGetUnauthorized() async throws {
        let fake = RPCFakeBackend()
        let authenticator = try Self.authenticator()
        try await withWebSocketServer({ $0.authentication = authenticator }, dispatcher: RPCHarness(fake: fake).dispatcher) { port in
            let anonymous = try WebSocketTestClient(port: port, headers: [:])
            defer { anonymous.close() }
            #expect(try anonymous.request(Self.chainId)["error"]?["code"]?.intValue == -40100)
            let expired = try WebSocketTestClient(port: port, headers: ["Authorization": "Bearer \(try Self.token(expiresIn: -5))"])
            defer { expired.close() }
            #expect(try expired.request(Self.chainId)["error"]?["code"]?.intValue == -40100)
            let scoped = try WebSocketTestClient(port: port, headers: ["Authorization": "Bearer \(try Self.token(permissions: ["eth:chainId"]))"])
            defer { scoped.close() }
            #expect(try scoped.request(Self.chainId)["result"] != nil)
            #expect(try scoped.request(#"{"jsonrpc":"2.0","id":2,"method":"net_version"}"#)["error"]?["code"]?.intValue == -40100)
            let query = try WebSocketTestClient(port: port, path: "/?token=\(try Self.token())", headers: [:])
            defer { query.close() }
            #expect(try query.request(Self.chainId)["result"] != nil)
        }
    }

    @Test func permissionPatterns() {
        let permissions = RPCPermissions(["net:*", "eth:blockNumber"])
        #expect(permissions.allows("net_version"))
        #expect(permissions.allows("eth_blockNumber"))
        #expect(!permissions.allows("eth_chainId"))
        #expect(!permissions.allows("admin_peers"))
        #expect(RPCPermissions(["*:*"]).allows("admin_peers"))
        #expect(!RPCPermissions.nothing.allows("net_version"))
    }

    @Test func credentialsFileParsesBesusShape() throws {
        let hash = try PasswordHash(hashing: "pw", iterations: 1_000)
        let file = try RPCCredentials(toml: """
            [Users.alice]
            password = "\(hash.encoded)"
            permissions = ["net:*", "eth:blockNumber"]
            """)
        let alice = try #require(file.users["alice"])
        #expect(alice.password.matches("pw"))
        #expect(!alice.password.matches("pw2"))
        #expect(alice.permissions == RPCPermissions(["net:*", "eth:blockNumber"]))
        #expect(throws: AuthError.self) { try RPCCredentials(toml: "[Users.bob]\npassword = \"plain\"\n") }
    }
}
