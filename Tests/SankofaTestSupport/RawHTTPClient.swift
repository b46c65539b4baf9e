#if canImport(Glibc)
import Glibc
#endif

/// A blocking POSIX client for HTTP tests that need the raw bytes: sends a request, waits a moment (so the server
/// finishes before the client reads), then reads until the server closes or stays silent for `readTimeout`.
public enum RawHTTPClient {
    public struct Failure: Error, CustomStringConvertible { public let description: String }

    /// How long a read waits for the next bytes: a server that neither answers nor closes fails the test
    /// instead of hanging it.
    public static let readTimeout = 15

    /// A connected socket; `source` binds the client end to another loopback address (Linux routes all of 127/8).
    public static func connect(port: Int, from source: String? = nil, receiveBuffer: Int32? = nil) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        var timeout = timeval(tv_sec: readTimeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
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

    public static func send(_ fd: Int32, _ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "send: \(errno)") }
            sent += n
        }
    }

    public static func readToEnd(_ fd: Int32) -> [UInt8] { readUntilClosed(fd).bytes }

    /// Everything the server sends, and whether it then closed (rather than falling silent for `readTimeout`).
    public static func readUntilClosed(_ fd: Int32) -> (bytes: [UInt8], closed: Bool) {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 { return (out, false) }
            if n == 0 { return (out, true) }
            out += chunk[..<n]
        }
    }

    public static func exchange(port: Int, request: [UInt8]) throws -> [UInt8] {
        let fd = try connect(port: port, receiveBuffer: 16_384)
        defer { close(fd) }
        try send(fd, request)
        usleep(500_000)
        return readToEnd(fd)
    }
}
