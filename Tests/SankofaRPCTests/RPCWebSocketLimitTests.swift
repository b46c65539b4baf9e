import Foundation
import Logging
import NIOCore
import SankofaJSON
import SankofaTestSupport
import Testing
@testable import SankofaRPC

/// Issue 18: the WebSocket endpoint's connection cap, handshake and idle deadlines, RFC 6455 masking and the bound on
/// what a client that stops reading may queue — each against a real server on 127.0.0.1.
@Suite("RPC WebSocket limits", .serialized)
struct RPCWebSocketLimitTests {
    static let chainId = #"{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}"#

    func withServer(_ configure: (inout RPCWebSocketSettings) -> Void, rpc: RPCHarness = RPCHarness(),
                    _ body: (_ port: Int) async throws -> Void) async throws {
        try await withWebSocketServer(configure, dispatcher: rpc.dispatcher, body)
    }

    /// An upgrade request on a plain socket; returns everything the server sent before closing.
    static func rawUpgrade(port: Int) throws -> String {
        let fd = try WebSocketTestClient.connectedSocket(port: port, readTimeout: 5)
        defer { close(fd) }
        let head = "GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        _ = Array(head.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            reply += chunk[0..<count]
        }
        return String(decoding: reply, as: UTF8.self)
    }

    /// Over the cap, the upgrade is refused before any 101: 503 with a JSON-RPC -32005 body, then close.
    @Test func upgradeOverTheCapIsRefusedWith503() async throws {
        try await withServer({ $0.maxConnections = 1 }) { port in
            let first = try WebSocketTestClient(port: port)
            defer { first.close() }
            #expect(try first.request(Self.chainId)["result"] != nil)
            let reply = try Self.rawUpgrade(port: port)
            #expect(reply.hasPrefix("HTTP/1.1 503"), "\(reply.prefix(200))")
            let body = try JSONParser.parse(Array(reply.utf8.split(separator: 13).last?.dropFirst() ?? []))
            #expect(body["error"]?["code"]?.intValue == -32005, "\(reply)")
            #expect(body["error"]?["message"]?.stringValue?.contains("--rpc-ws-max-active-connections") == true)
            // The first client is unaffected, and its slot frees when it leaves.
            #expect(try first.request(Self.chainId)["result"] != nil)
        }
    }

    /// A socket that never sends its upgrade request is closed after the handshake timeout, so it cannot hold the
    /// only slot (before: the accept loop waited on it and every later client hung).
    @Test func silentSocketCannotHoldASlot() async throws {
        try await withServer({ $0.maxConnections = 1; $0.handshakeTimeout = .milliseconds(300) }) { port in
            let silent = try WebSocketTestClient.connectedSocket(port: port)
            defer { close(silent) }
            try await Task.sleep(for: .milliseconds(50))
            let started = ContinuousClock.now
            var client: WebSocketTestClient?
            while client == nil, ContinuousClock.now - started < .seconds(5) {
                client = try? WebSocketTestClient(port: port)
                if client == nil { try await Task.sleep(for: .milliseconds(50)) }
            }
            let connected = try #require(client, "no WebSocket client got in while a silent socket was open")
            defer { connected.close() }
            #expect(try connected.request(Self.chainId)["result"] != nil)
        }
    }

    /// An upgraded client that answers nothing, not even the server's pings, is closed after the idle timeout.
    @Test func silentUpgradedClientIsClosedWhenIdle() async throws {
        try await withServer({ $0.idleTimeout = .milliseconds(400) }) { port in
            let client = try WebSocketTestClient(port: port)
            defer { client.close() }
            let ping = try client.nextFrame()
            #expect(ping.opcode == 0x9, "the server pings before giving up")
            #expect(client.drainUntilClosed(seconds: 5))
        }
    }

    /// RFC 6455 §5.1: an unmasked client frame closes the connection with status 1002 instead of being answered.
    @Test func unmaskedFrameClosesWith1002() async throws {
        try await withServer({ _ in }) { port in
            let client = try WebSocketTestClient(port: port)
            defer { client.close() }
            try client.sendUnmaskedText(Self.chainId)
            let frame = try client.nextFrame()
            #expect(frame.opcode == 0x8, "expected a close frame, got opcode \(frame.opcode)")
            #expect(Array(frame.payload.prefix(2)) == [0x03, 0xEA], "close status \(frame.payload)")
            #expect(client.drainUntilClosed(seconds: 5))
        }
    }

    /// A subscriber that never reads is closed once its queued bytes pass the bound, and its subscriptions end.
    @Test func subscriberThatNeverReadsIsClosed() async throws {
        let rpc = RPCHarness()
        try await withServer({ $0.maxOutboundBytes = 256 * 1024 }, rpc: rpc) { port in
            let client = try WebSocketTestClient(port: port, receiveBufferBytes: 4_096)
            defer { client.close() }
            for id in 0..<8 {
                let reply = try client.request(#"{"jsonrpc":"2.0","id":\#(id),"method":"eth_subscribe","params":["newHeads"]}"#)
                #expect(reply["result"]?.stringValue != nil, "\(reply)")
            }
            #expect(await rpcEventually { rpc.fake.updateSubscribers == 8 })
            #expect(await rpc.subscriptions.count == 8)
            // Blocks flow while the client reads nothing: about 8 × 600 bytes queued per block.
            let started = ContinuousClock.now
            var blocks = 0
            while await rpc.subscriptions.count > 0, ContinuousClock.now - started < .seconds(30) {
                for _ in 0..<50 { rpc.fake.appendBlock() }
                blocks += 50
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(await rpc.subscriptions.count == 0, "still subscribed after \(blocks) blocks")
            #expect(client.drainUntilClosed(seconds: 5), "the server kept the connection open")
        }
    }
}
