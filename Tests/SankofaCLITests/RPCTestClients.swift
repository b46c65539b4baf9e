import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import SankofaRPC
import SankofaJSON

/// JSON-RPC over HTTP for tests, parsing with the node's own JSON type.
struct RPCClient {
    let port: Int
    private static let counter = Counter()

    func status(_ path: String) async throws -> Int {
        let (_, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    func raw(_ method: String, _ params: [JSON]) async throws -> JSON {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let body = JSON.object(JSONObject([("jsonrpc", "2.0"), ("id", .number(JSONNumber(Self.counter.next()))),
                                           ("method", .string(method)), ("params", .array(params))]))
        request.httpBody = Data(JSONWriter.encode(body))
        let (data, _) = try await URLSession.shared.data(for: request)
        return try JSONParser.parse(Array(data))
    }

    /// The result; throws if the call failed.
    func call(_ method: String, _ params: [JSON] = []) async throws -> JSON {
        let response = try await raw(method, params)
        if let error = response["error"] { throw RPCTestError(description: "\(method) failed: \(JSONWriter.string(error))") }
        return response["result"] ?? .null
    }

    /// The error object of a call expected to fail.
    func error(_ method: String, _ params: [JSON] = []) async throws -> JSON {
        let response = try await raw(method, params)
        guard let error = response["error"] else { throw RPCTestError(description: "\(method) unexpectedly succeeded") }
        return error
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int { lock.withLock { value += 1; return value } }
    }
}

struct RPCTestError: Error, CustomStringConvertible { let description: String }

/// A minimal WebSocket client (RFC 6455) over a blocking socket: enough to subscribe and read notifications.
final class WebSocketClient {
    let fd: Int32
    var buffer: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw RPCTestError(description: "cannot connect to WebSocket port \(port)") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        try send(Array("GET / HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n".utf8))
        var head: [UInt8] = []
        while !(head.count >= 4 && Array(head.suffix(4)) == [13, 10, 13, 10]) { head.append(try readByte()) }
        let status = String(decoding: head, as: UTF8.self)
        guard status.hasPrefix("HTTP/1.1 101") else { throw RPCTestError(description: "upgrade refused: \(status)") }
    }

    func close() { Glibc.close(fd) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
            guard written > 0 else { throw RPCTestError(description: "send failed") }
            offset += written
        }
    }

    func readByte() throws -> UInt8 {
        if buffer.isEmpty {
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw RPCTestError(description: "connection closed or timed out") }
            buffer = Array(chunk[0..<count].reversed())
        }
        return buffer.removeLast()
    }

    /// Sends one masked text frame (clients must mask).
    func sendText(_ text: String) throws {
        let payload = Array(text.utf8)
        var frame: [UInt8] = [0x81]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else {
            frame.append(0x80 | 126)
            frame += [UInt8(payload.count >> 8), UInt8(payload.count & 0xff)]
        }
        let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try send(frame)
    }

    /// The next text message, parsed.
    func next() throws -> JSON {
        while true {
            let first = try readByte()
            var length = Int(try readByte() & 0x7f)
            if length == 126 { length = Int(try readByte()) << 8 | Int(try readByte()) }
            if length == 127 { length = try (0..<8).reduce(0) { value, _ in value << 8 | Int(try readByte()) } }
            let payload = try (0..<length).map { _ in try readByte() }
            if first & 0x0f == 0x1 { return try JSONParser.parse(payload) }
        }
    }

    func request(_ text: String) throws -> JSON {
        try sendText(text)
        return try next()
    }
}
