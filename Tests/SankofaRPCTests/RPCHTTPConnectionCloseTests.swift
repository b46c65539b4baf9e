import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import SankofaRPC

/// Issue 18: a response of about 4 MB was cut short when the client sent `Connection: close` or spoke HTTP/1.0,
/// because the connection was closed as soon as the response was queued, dropping what the socket had not yet
/// taken. Driven over a real socket with a small receive buffer and a client that starts reading late.
@Suite("RPC HTTP: closing after a large response")
struct RPCHTTPConnectionCloseTests {
    /// A request whose id is `idLength` characters: the response echoes it, so it is as large.
    static func request(version: String, connectionClose: Bool, idLength: Int) -> [UInt8] {
        let body = #"{"jsonrpc":"2.0","id":""# + String(repeating: "a", count: idLength) + #"","method":"eth_chainId"}"#
        var head = "POST / \(version)\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
        if connectionClose { head += "Connection: close\r\n" }
        return Array((head + "\r\n" + body).utf8)
    }

    @Test(arguments: [("HTTP/1.1", true), ("HTTP/1.0", false)])
    func largeResponsesArriveWholeBeforeTheClose(version: String, connectionClose: Bool) async throws {
        let idLength = 4_500_000
        // The loss depends on how much the server still held when it closed: try a few times.
        try await withRPCServer { port, _ in
          for _ in 0..<4 {
            let raw = try await Task.detached {
                try RawHTTPClient.exchange(port: port, request: Self.request(version: version, connectionClose: connectionClose,
                                                                             idLength: idLength))
            }.value
            let text = String(decoding: raw, as: UTF8.self)
            let headerEnd = try #require(text.range(of: "\r\n\r\n"))
            let head = text[..<headerEnd.lowerBound].lowercased()
            #expect(head.contains("connection: close"))
            let lengthLine = try #require(head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") })
            let length = try #require(Int(lengthLine.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)))
            #expect(length > idLength)
            let bodyBytes = raw.count - text.utf8.distance(from: text.utf8.startIndex, to: headerEnd.upperBound)
            #expect(bodyBytes == length, "received \(bodyBytes) of \(length) body bytes")
            #expect(raw.suffix(20).elementsEqual(Array(#"a","result":"0x7e8"}"#.utf8)), "the body does not end with the result")
          }
        }
    }
}

/// A blocking POSIX client: sends a request, waits a moment (so the server finishes before the client reads), then
/// reads until the server closes.
enum RawHTTPClient {
    struct Failure: Error, CustomStringConvertible { let description: String }

    /// A connected socket; `source` binds the client end to another loopback address (Linux routes all of 127/8).
    static func connect(port: Int, from source: String? = nil, receiveBuffer: Int32? = nil) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_addr.s_addr = inet_addr(source)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else {
                close(fd)
                throw Failure(description: "bind \(source): \(errno)")
            }
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw Failure(description: "connect: \(errno)")
        }
        return fd
    }

    static func send(_ fd: Int32, _ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send: \(errno)") }
            sent += n
        }
    }

    static func readToEnd(_ fd: Int32) -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            out += chunk[..<n]
        }
        return out
    }

    static func exchange(port: Int, request: [UInt8]) throws -> [UInt8] {
        let fd = try connect(port: port, receiveBuffer: 16_384)
        defer { close(fd) }
        try send(fd, request)
        usleep(500_000)
        return readToEnd(fd)
    }
}
