import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import SankofaJSON
import Testing
@testable import SankofaRPC

/// The HTTP transport on an ephemeral port, driven with URLSession.
@Suite("RPC HTTP server")
struct RPCHTTPServerTests {
    struct Reply {
        let status: Int
        let body: String
        let headers: [String: String]

        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    func request(_ port: Int, _ method: String = "POST", path: String = "/", body: String? = nil,
                 headers: [String: String] = ["Content-Type": "application/json"]) async throws -> Reply {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body { request.httpBody = Data(body.utf8) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var fields: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let key = key as? String, let value = value as? String { fields[key] = value }
        }
        return Reply(status: http.statusCode, body: String(decoding: data, as: UTF8.self), headers: fields)
    }

    @Test func postJSON() async throws {
        try await withRPCServer { port, _ in
            let reply = try await request(port, body: #"{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}"#)
            #expect(reply.status == 200)
            #expect(reply.body == #"{"jsonrpc":"2.0","id":1,"result":"0x7e8"}"#)
            #expect(reply.header("Content-Type") == "application/json")
            #expect(reply.header("Content-Length") == "41")
            let batch = try await request(port, body: #"[{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber"},{"jsonrpc":"2.0","id":2,"method":"net_version"}]"#)
            #expect(batch.status == 200)
            #expect(batch.body == #"[{"jsonrpc":"2.0","id":1,"result":"0x2"},{"jsonrpc":"2.0","id":2,"result":"2024"}]"#)
        }
    }

    @Test func rpcErrorsAreHTTP200() async throws {
        try await withRPCServer { port, _ in
            let reply = try await request(port, body: "{nope")
            #expect(reply.status == 200)
            #expect(reply.body == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error: unexpected character 'n' (0x6e) at byte 1"}}"#)
        }
    }

    @Test func oversizedBodyIs413() async throws {
        try await withRPCServer({ $0.maxBodyBytes = 64 }) { port, _ in
            let padding = String(repeating: " ", count: 100)
            let reply = try await request(port, body: #"{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}"# + padding)
            #expect(reply.status == 413)
            #expect(reply.body == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: request body too large"}}"#)
            // A body at the limit is served.
            let fits = try await request(port, body: #"{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}"# + String(repeating: " ", count: 16))
            #expect(fits.status == 200)
        }
    }

    @Test func hostOutsideTheAllowlistIs403() async throws {
        try await withRPCServer({ $0.hostAllowlist = ["rpc.example"] }) { port, _ in
            let reply = try await request(port, body: #"{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}"#)
            #expect(reply.status == 403)
            #expect(reply.body == #"{"message":"Host not authorized."}"#)
            // Health checks skip the Host check (load balancers call them by IP).
            #expect(try await request(port, "GET", path: "/liveness", headers: [:]).status == 200)
        }
    }

    @Test func corsPreflight() async throws {
        try await withRPCServer({ $0.corsOrigins = ["https://app.example"] }) { port, _ in
            let allowed = try await request(port, "OPTIONS", headers: [
                "Origin": "https://app.example", "Access-Control-Request-Method": "POST",
            ])
            #expect(allowed.status == 204)
            #expect(allowed.body == "")
            #expect(allowed.header("Access-Control-Allow-Origin") == "https://app.example")
            #expect(allowed.header("Access-Control-Allow-Methods") == "POST, OPTIONS")
            #expect(allowed.header("Access-Control-Allow-Headers") == "Content-Type, Authorization")
            #expect(allowed.header("Access-Control-Max-Age") == "600")
            #expect(allowed.header("Vary") == "Origin")

            let denied = try await request(port, "OPTIONS", headers: ["Origin": "https://evil.example"])
            #expect(denied.status == 403)
            #expect(denied.body == #"{"message":"Origin not allowed."}"#)
            #expect(denied.header("Access-Control-Allow-Origin") == nil)

            let post = try await request(port, body: #"{"jsonrpc":"2.0","id":1,"method":"net_version"}"#, headers: [
                "Content-Type": "application/json", "Origin": "https://app.example",
            ])
            #expect(post.status == 200)
            #expect(post.header("Access-Control-Allow-Origin") == "https://app.example")
            #expect(post.body == #"{"jsonrpc":"2.0","id":1,"result":"2024"}"#)
        }
    }

    @Test func browsersAreRefusedWhenCORSIsOff() async throws {
        try await withRPCServer { port, _ in
            let post = try await request(port, body: #"{"jsonrpc":"2.0","id":1,"method":"net_version"}"#, headers: [
                "Content-Type": "application/json", "Origin": "https://app.example",
            ])
            #expect(post.status == 403)
            #expect(post.body == #"{"message":"Origin not allowed."}"#)
            // Without an Origin (curl, SDKs) there is no CORS header.
            let plain = try await request(port, body: #"{"jsonrpc":"2.0","id":1,"method":"net_version"}"#)
            #expect(plain.status == 200)
            #expect(plain.header("Access-Control-Allow-Origin") == nil)
        }
    }

    @Test func corsWildcard() async throws {
        try await withRPCServer({ $0.corsOrigins = ["*"] }) { port, _ in
            let reply = try await request(port, "OPTIONS", headers: ["Origin": "https://any.example"])
            #expect(reply.status == 204)
            #expect(reply.header("Access-Control-Allow-Origin") == "https://any.example")
        }
    }

    @Test func otherMethodsAre405() async throws {
        try await withRPCServer { port, _ in
            let reply = try await request(port, "GET", path: "/", headers: [:])
            #expect(reply.status == 405)
            #expect(reply.body == #"{"message":"JSON-RPC requests use POST"}"#)
        }
    }

    @Test func liveness() async throws {
        try await withRPCServer { port, fake in
            fake.ready.withLock { $0 = false }
            let reply = try await request(port, "GET", path: "/liveness", headers: [:])
            #expect(reply.status == 200)
            #expect(reply.body == #"{"status":"UP"}"#)
            #expect(try await request(port, "GET", path: "/liveness?verbose=1", headers: [:]).status == 200)
        }
    }

    @Test func readinessFollowsTheHealthProvider() async throws {
        try await withRPCServer { port, fake in
            let ready = try await request(port, "GET", path: "/readiness", headers: [:])
            #expect(ready.status == 200)
            #expect(ready.body == #"{"status":"UP"}"#)
            fake.ready.withLock { $0 = false }
            let down = try await request(port, "GET", path: "/readiness", headers: [:])
            #expect(down.status == 503)
            #expect(down.body == #"{"status":"DOWN"}"#)
            fake.ready.withLock { $0 = true }
            #expect(try await request(port, "GET", path: "/readiness", headers: [:]).status == 200)
            #expect(fake.lastReadinessCheck.current == ReadinessCheck(minPeers: 1, maxBlocksBehind: 2))
            #expect(try await request(port, "GET", path: "/readiness?minPeers=0&maxBlocksBehind=10", headers: [:]).status == 200)
            #expect(fake.lastReadinessCheck.current == ReadinessCheck(minPeers: 0, maxBlocksBehind: 10))
            #expect(try await request(port, "GET", path: "/readiness?minPeers=-1", headers: [:]).status == 400)
        }
    }

    @Test
    func notificationOverHTTPHasAnEmptyBody() async throws {
        try await withRPCServer { port, _ in
            let reply = try await request(port, body: #"{"jsonrpc":"2.0","method":"eth_chainId"}"#)
            #expect(reply.status == 200)
            #expect(reply.body == "")
        }
    }
}
