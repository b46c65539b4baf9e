import Foundation
import SankofaJSON

/// A blocking RFC 6455 client for tests: upgrade (with any extra headers, e.g. a JWT), send masked text frames,
/// read text messages as JSON. Reads time out after 10 s, so a silent server fails the test instead of hanging it.
public final class WebSocketTestClient {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    let fd: Int32
    var buffer: [UInt8] = []

    /// - Parameter receiveBufferBytes: a small kernel receive buffer, for clients that stop reading.
    public init(port: Int, path: String = "/", headers: [String: String] = [:], receiveBufferBytes: Int32? = nil) throws {
        fd = try Self.connectedSocket(port: port, receiveBufferBytes: receiveBufferBytes)
        var head = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        head += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        try send(Array((head + "\r\n").utf8))
        var reply: [UInt8] = []
        while !(reply.count >= 4 && Array(reply.suffix(4)) == [13, 10, 13, 10]) { reply.append(try readByte()) }
        let status = String(decoding: reply, as: UTF8.self)
        guard status.hasPrefix("HTTP/1.1 101") else { throw Failure(description: "upgrade refused: \(status)") }
    }

    /// A TCP socket connected to 127.0.0.1:`port` whose reads time out after `readTimeout` seconds (the caller
    /// closes it).
    public static func connectedSocket(port: Int, receiveBufferBytes: Int32? = nil, readTimeout: Int = 10) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if var size = receiveBufferBytes { setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(fd)
            throw Failure(description: "cannot connect to port \(port)")
        }
        var timeout = timeval(tv_sec: readTimeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    public func close() { Glibc.close(fd) }

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
            guard written > 0 else { throw Failure(description: "send failed") }
            offset += written
        }
    }

    func readByte() throws -> UInt8 {
        if buffer.isEmpty {
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw Failure(description: "connection closed or timed out") }
            buffer = Array(chunk[0..<count].reversed())
        }
        return buffer.removeLast()
    }

    /// Sends one text frame without a mask, which RFC 6455 §5.1 forbids clients to do.
    public func sendUnmaskedText(_ text: String) throws {
        let payload = Array(text.utf8)
        precondition(payload.count < 126)
        try send([0x81, UInt8(payload.count)] + payload)
    }

    /// The next frame of any kind: its opcode and payload.
    public func nextFrame() throws -> (opcode: UInt8, payload: [UInt8]) {
        let first = try readByte()
        var length = Int(try readByte() & 0x7f)
        if length == 126 { length = Int(try readByte()) << 8 | Int(try readByte()) }
        if length == 127 { length = try (0..<8).reduce(0) { value, _ in value << 8 | Int(try readByte()) } }
        return (first & 0x0f, try (0..<length).map { _ in try readByte() })
    }

    /// Reads and discards until the server closes the connection (end of stream or reset); false if the socket is
    /// still open after `seconds`.
    public func drainUntilClosed(seconds: Int) -> Bool {
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        let deadline = Date().addingTimeInterval(TimeInterval(seconds))
        buffer.removeAll()
        while Date() < deadline {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { return true }
            if count < 0, errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR { return true }
        }
        return false
    }

    /// Sends one masked text frame (clients must mask).
    public func sendText(_ text: String) throws {
        let payload = Array(text.utf8)
        var frame: [UInt8] = [0x81]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else {
            frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xff)]
        }
        let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        frame += mask + payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try send(frame)
    }

    /// The next text message, parsed (other frames are skipped).
    public func next() throws -> JSON {
        while true {
            let first = try readByte()
            var length = Int(try readByte() & 0x7f)
            if length == 126 { length = Int(try readByte()) << 8 | Int(try readByte()) }
            if length == 127 { length = try (0..<8).reduce(0) { value, _ in value << 8 | Int(try readByte()) } }
            let payload = try (0..<length).map { _ in try readByte() }
            if first & 0x0f == 0x1 { return try JSONParser.parse(payload) }
        }
    }

    /// One request and its reply.
    public func request(_ text: String) throws -> JSON {
        try sendText(text)
        return try next()
    }
}
