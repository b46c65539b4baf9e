import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
import SankofaTestSupport
import ServiceLifecycle
import Testing
@testable import SankofaRPC

/// The HTTP connection handler over a real socket: pipelined requests answered in order, protocol errors, HTTP/1.0
/// keep-alive, and the bound on requests a client may queue without reading its answers.
@Suite("RPC HTTP: pipelining and framing")
struct RPCHTTPPipeliningTests {
    static func call(id: Int, method: String = "eth_chainId", params: String = "[]", version: String = "HTTP/1.1",
                     extraHeaders: String = "") -> [UInt8] {
        let body = #"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":\#(params)}"#
        return Array("POST / \(version)\r\nHost: 127.0.0.1\r\nContent-Length: \(body.utf8.count)\r\n\(extraHeaders)\r\n\(body)".utf8)
    }

    /// Reads until `count` complete responses (each ends with its JSON body's closing brace) or the server closes.
    static func responses(_ fd: Int32, count: Int) -> [String] {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var text = ""
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while text.components(separatedBy: "HTTP/1.").count - 1 < count || !text.hasSuffix("}") {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            text += String(decoding: chunk[..<n], as: UTF8.self)
        }
        return text.components(separatedBy: "HTTP/1.").dropFirst().map { "HTTP/1." + $0 }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await withRPCServer { port, _ in
            let replies = try await Task.detached {
                let fd = try RawHTTPClient.connect(port: port)
                defer { close(fd) }
                // 200 requests in one write: more than the handler lets wait before it stops reading.
                try RawHTTPClient.send(fd, (0..<200).flatMap { Self.call(id: $0) })
                return Self.responses(fd, count: 200)
            }.value
            #expect(replies.count == 200)
            for (index, reply) in replies.enumerated() {
                #expect(reply.hasPrefix("HTTP/1.1 200 OK\r\n"))
                #expect(reply.hasSuffix(#"{"jsonrpc":"2.0","id":\#(index),"result":"0x7e8"}"#), "reply \(index): \(reply)")
            }
        }
    }

    /// `eth_chainId` is answered where it is read, `eth_getBalance` on a task: interleaved, they still come back
    /// in request order.
    @Test func answersAtOnceAndFromTasksKeepRequestOrder() async throws {
        try await withRPCServer { port, _ in
            let balance = #"["\#(RPCFixture.sender.hex)","latest"]"#
            let replies = try await Task.detached {
                let fd = try RawHTTPClient.connect(port: port)
                defer { close(fd) }
                try RawHTTPClient.send(fd, (0..<100).flatMap {
                    $0 % 3 == 0 ? Self.call(id: $0, method: "eth_getBalance", params: balance) : Self.call(id: $0)
                })
                return Self.responses(fd, count: 100)
            }.value
            #expect(replies.count == 100)
            for (index, reply) in replies.enumerated() {
                let result = index % 3 == 0 ? "0xde0b6b3a7640000" : "0x7e8"
                #expect(reply.hasSuffix(#"{"jsonrpc":"2.0","id":\#(index),"result":"\#(result)"}"#), "reply \(index): \(reply)")
            }
        }
    }

    @Test func malformedRequestGets400AndTheConnectionCloses() async throws {
        try await withRPCServer { port, _ in
            let reply = try await Task.detached {
                let fd = try RawHTTPClient.connect(port: port)
                defer { close(fd) }
                try RawHTTPClient.send(fd, Array("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: nope\r\n\r\n".utf8))
                return String(decoding: RawHTTPClient.readToEnd(fd), as: UTF8.self)
            }.value
            #expect(reply.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), "\(reply)")
            #expect(reply.contains("Connection: close\r\n"))
        }
    }

    /// curl and other clients send `Expect: 100-continue` before a large body and wait for the interim answer; a
    /// chunked body (RFC 9112 §7.1) is read whole.
    @Test func expectContinueIsAnsweredAndChunkedBodiesRead() async throws {
        try await withRPCServer { port, _ in
            let (interim, reply) = try await Task.detached {
                let fd = try RawHTTPClient.connect(port: port)
                defer { close(fd) }
                try RawHTTPClient.send(fd, Array("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n".utf8))
                var chunk = [UInt8](repeating: 0, count: 256)
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                let interim = String(decoding: chunk[..<max(0, n)], as: UTF8.self)
                let body = #"{"jsonrpc":"2.0","id":7,"method":"eth_chainId","params":[]}"#
                try RawHTTPClient.send(fd, Array("10\r\n\(body.prefix(16))\r\n\(String(body.utf8.count - 16, radix: 16))\r\n\(body.dropFirst(16))\r\n0\r\n\r\n".utf8))
                return (interim, Self.responses(fd, count: 1))
            }.value
            #expect(interim == "HTTP/1.1 100 Continue\r\n\r\n")
            #expect(reply.count == 1 && reply[0].hasPrefix("HTTP/1.1 200 OK\r\n") && reply[0].hasSuffix(#""id":7,"result":"0x7e8"}"#), "\(reply)")
        }
    }

    /// RFC 9112 §9.6: nothing after a request that asked to close is answered; bytes that cannot be framed are
    /// refused only after the requests before them are answered.
    @Test func requestsAfterACloseAreDroppedAndARefusalComesLast() async throws {
        try await withRPCServer { port, _ in
            let (closed, refused) = try await Task.detached {
                let first = try RawHTTPClient.connect(port: port)
                defer { close(first) }
                try RawHTTPClient.send(first, Self.call(id: 1, extraHeaders: "Connection: close\r\n") + Self.call(id: 2))
                let closed = String(decoding: RawHTTPClient.readToEnd(first), as: UTF8.self)
                let second = try RawHTTPClient.connect(port: port)
                defer { close(second) }
                try RawHTTPClient.send(second, Self.call(id: 3, method: "eth_getBalance", params: #"["0x0000000000000000000000000000000000000001","latest"]"#)
                                       + Self.call(id: 4) + Array("GET / HTTP/9.9\r\n\r\n".utf8))
                return (closed, String(decoding: RawHTTPClient.readToEnd(second), as: UTF8.self))
            }.value
            #expect(closed.components(separatedBy: "HTTP/1.1 200 OK").count == 2 && closed.hasSuffix(#""id":1,"result":"0x7e8"}"#), "\(closed)")
            let answers = refused.components(separatedBy: "HTTP/1.1 ").dropFirst().map { String($0.prefix(3)) }
            #expect(answers == ["200", "200", "505"], "\(refused)")
            #expect(refused.contains(#""id":3,"#) && refused.contains(#""id":4,"#) && refused.hasSuffix(#"{"message":"HTTP/9.9 is not supported; use HTTP/1.1"}"#))
        }
    }

    @Test func http10KeepAliveStaysOpen() async throws {
        try await withRPCServer { port, _ in
            let replies = try await Task.detached {
                let fd = try RawHTTPClient.connect(port: port)
                defer { close(fd) }
                try RawHTTPClient.send(fd, Self.call(id: 1, version: "HTTP/1.0", extraHeaders: "Connection: keep-alive\r\n"))
                let first = Self.responses(fd, count: 1)
                try RawHTTPClient.send(fd, Self.call(id: 2, version: "HTTP/1.0"))
                let second = String(decoding: RawHTTPClient.readToEnd(fd), as: UTF8.self)
                return first + [second]
            }.value
            #expect(replies.count == 2)
            #expect(replies[0].hasPrefix("HTTP/1.0 200 OK\r\n"))
            #expect(replies[0].contains("Connection: keep-alive\r\n"))
            #expect(replies[0].hasSuffix(#""id":1,"result":"0x7e8"}"#))
            // Without keep-alive an HTTP/1.0 answer closes the connection (readToEnd returned).
            #expect(replies[1].hasPrefix("HTTP/1.0 200 OK\r\n"))
            #expect(replies[1].contains("Connection: close\r\n"))
            #expect(replies[1].hasSuffix(#""id":2,"result":"0x7e8"}"#))
        }
    }

    @Test func clientThatNeverReadsIsNotReadWithoutBound() async throws {
        try await withRPCServer { port, _ in
            let (sent, total) = try await Task.detached {
                let fd = try RawHTTPClient.connect(port: port, receiveBuffer: 4_096)
                defer { close(fd) }
                var timeout = timeval(tv_sec: 2, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                // 2 million minimal pipelined requests (54 MB), never reading an answer.
                let flood = Array(String(repeating: "GET /liveness HTTP/1.1\r\n\r\n", count: 2_000_000).utf8)
                var sent = 0
                while sent < flood.count {
                    let n = flood[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, min($0.count, 65_536), Int32(MSG_NOSIGNAL)) }
                    if n <= 0 { break }   // stalled (the server stopped reading) or closed by the server
                    sent += n
                }
                return (sent, flood.count)
            }.value
            // The server stops reading once requests wait unanswered (or hangs up on a crowd), so the kernel's
            // buffers, not the node's memory, hold the rest: most of the flood could not even be sent.
            #expect(sent < total / 2, "the server took \(sent) of \(total) bytes from a client that reads nothing")
        }
    }

    /// A bound server as a service, so a `ServiceGroup` can run it and shut it down.
    struct BoundServer: Service {
        let server: RPCHTTPServer
        let channel: NIOAsyncChannel<RPCHTTPServer.Connection, Never>
        func run() async throws { try await server.serve(channel) }
    }

    /// Graceful shutdown closes idle keep-alive connections instead of waiting out their idle timeout (a node
    /// stopped with SIGINT by a client's open connection pool took a minute to exit).
    @Test func gracefulShutdownClosesKeepAliveConnections() async throws {
        var settings = RPCHTTPSettings()
        settings.port = 0
        settings.idleTimeout = .seconds(60)
        let server = RPCHTTPServer(settings: settings, dispatcher: RPCHarness().dispatcher, health: RPCFakeBackend(),
                                   logger: Logger(label: "rpc-http-test"))
        let channel = try await server.bind()
        let port = try #require(channel.channel.localAddress?.port)
        let group = ServiceGroup(configuration: .init(services: [.init(service: BoundServer(server: server, channel: channel))],
                                                      logger: Logger(label: "rpc-http-test")))
        let running = Task { try await group.run() }
        let fd = try await Task.detached {
            let fd = try RawHTTPClient.connect(port: port)
            try RawHTTPClient.send(fd, Self.call(id: 1))
            _ = Self.responses(fd, count: 1)
            return fd
        }.value
        defer { close(fd) }
        let start = ContinuousClock.now
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(ContinuousClock.now - start < .seconds(5), "shutdown waited for an idle keep-alive connection")
        #expect(RPCHTTPConnectionLimitTests.closedByServer(fd))
    }
}
