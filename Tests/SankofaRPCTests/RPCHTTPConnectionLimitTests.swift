import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SankofaTestSupport
import Testing
@testable import SankofaRPC

/// Issue 18: 2,000 idle or slowloris connections took every HTTP connection slot and locked new clients out.
/// Connections per remote address are capped, and idle or slow connections time out.
@Suite("RPC HTTP: idle and slow connections")
struct RPCHTTPConnectionLimitTests {
    static let chainId = Array("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 47\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"}".utf8)

    /// Sends one request from `source` with `Connection: close` semantics read to the end; the reply text.
    static func call(port: Int, from source: String) throws -> String {
        let fd = try RawHTTPClient.connect(port: port, from: source)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        try RawHTTPClient.send(fd, chainId)
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4_096)
        while !String(decoding: reply, as: UTF8.self).hasSuffix("}") {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            reply += chunk[..<n]
        }
        return String(decoding: reply, as: UTF8.self)
    }

    /// Whether the server has closed `fd` (a read returns end of file, or the connection was reset).
    static func closedByServer(_ fd: Int32) -> Bool {
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var byte: UInt8 = 0
        let n = recv(fd, &byte, 1, 0)
        return n == 0 || (n < 0 && errno == ECONNRESET)
    }

    @Test func idleAndSlowConnectionsCannotLockOutNewClients() async throws {
        try await withRPCServer({
            $0.maxConnections = 100
            $0.maxConnectionsPerAddress = 40
            $0.idleTimeout = .seconds(2)
            $0.requestTimeout = .seconds(1)
        }) { port, _ in
            let (idle, slow) = try await Task.detached {
                // 2,000 connections that never send a byte, and 100 that send half a request head and stall.
                let idle = try (0..<2_000).map { _ in try RawHTTPClient.connect(port: port, from: "127.0.0.1") }
                let slow = try (0..<100).map { _ in try RawHTTPClient.connect(port: port, from: "127.0.0.3") }
                for fd in slow { try RawHTTPClient.send(fd, Array("POST / HTTP/1.1\r\nHost: 127.0".utf8)) }
                return (idle, slow)
            }.value
            defer { for fd in idle + slow { close(fd) } }
            // A new client on another address is served at once.
            let reply = try await Task.detached { try Self.call(port: port, from: "127.0.0.2") }.value
            #expect(reply.hasPrefix("HTTP/1.1 200 OK"), "\(reply)")
            #expect(reply.hasSuffix(#"{"jsonrpc":"2.0","id":1,"result":"0x7e8"}"#))
            // The stalled requests are dropped after the request timeout, the idle connections after the idle one,
            // and then the crowded address is served again.
            try await Task.sleep(for: .milliseconds(1_600))
            #expect(slow.prefix(40).allSatisfy(Self.closedByServer))
            try await Task.sleep(for: .milliseconds(1_000))
            #expect(idle.prefix(40).allSatisfy(Self.closedByServer))
            let again = try await Task.detached { try Self.call(port: port, from: "127.0.0.1") }.value
            #expect(again.hasPrefix("HTTP/1.1 200 OK"), "\(again)")
        }
    }

    /// A request answered at once, then part of the next in the same write: the second is timed as a request
    /// (its clock starting with its head), not left on the idle clock.
    @Test func aPartialRequestAfterAnImmediateAnswerIsTimedAsARequest() async throws {
        try await withRPCServer({ $0.idleTimeout = .seconds(30); $0.requestTimeout = .milliseconds(400) }) { port, _ in
            let fd = try RawHTTPClient.connect(port: port, from: "127.0.0.1")
            defer { close(fd) }
            try RawHTTPClient.send(fd, Self.chainId + Array("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 50\r\n\r\n{".utf8))
            try await Task.sleep(for: .milliseconds(1_200))
            var chunk = [UInt8](repeating: 0, count: 4_096)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            #expect(n > 0 && String(decoding: chunk[..<max(n, 0)], as: UTF8.self).hasSuffix(#""result":"0x7e8"}"#))
            #expect(Self.closedByServer(fd))
        }
    }

    @Test func keepAliveConnectionsGoIdleBetweenRequests() async throws {
        try await withRPCServer({ $0.idleTimeout = .milliseconds(500); $0.requestTimeout = .seconds(5) }) { port, _ in
            let fd = try RawHTTPClient.connect(port: port, from: "127.0.0.1")
            defer { close(fd) }
            for _ in 0..<3 {
                try RawHTTPClient.send(fd, Self.chainId)
                try await Task.sleep(for: .milliseconds(200))
                var chunk = [UInt8](repeating: 0, count: 4_096)
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                #expect(n > 0 && String(decoding: chunk[..<max(n, 0)], as: UTF8.self).hasSuffix(#""result":"0x7e8"}"#))
            }
            try await Task.sleep(for: .milliseconds(800))
            #expect(Self.closedByServer(fd))
        }
    }
}
