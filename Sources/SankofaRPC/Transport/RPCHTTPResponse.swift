import NIOCore
import NIOHTTP1

extension RPCHTTPServer {
    /// One HTTP response of the JSON-RPC endpoint: always a JSON body with its length (never chunked).
    struct Response: Sendable {
        var status: HTTPResponseStatus
        var body: [UInt8]
        var headers: [(String, String)] = []

        /// The response as it goes on the wire (RFC 9112 §4, §6), status line, headers and body in one buffer, so a
        /// small answer is one write and one `writev`. `Connection: close` announces every close; a persistent HTTP/1.0
        /// connection says `keep-alive`, as that version's default is to close.
        func encoded(version: HTTPVersion, keepAlive: Bool, allocator: ByteBufferAllocator) -> ByteBuffer {
            var out = allocator.buffer(capacity: 128 + body.count + headers.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count + 4 })
            out.writeStaticString(version.minor == 0 && version.major == 1 ? "HTTP/1.0 " : "HTTP/1.1 ")
            out.writeString(String(status.code))
            out.writeStaticString(" ")
            out.writeString(status.reasonPhrase)
            out.writeStaticString("\r\n")
            if status != .noContent {   // RFC 9110 §8.6: no length on a 204
                out.writeStaticString("Content-Type: application/json\r\nContent-Length: ")
                out.writeString(String(body.count))
                out.writeStaticString("\r\n")
            }
            for (name, value) in headers {
                out.writeString(name)
                out.writeStaticString(": ")
                out.writeString(value)
                out.writeStaticString("\r\n")
            }
            if !keepAlive {
                out.writeStaticString("Connection: close\r\n")
            } else if version.major == 1 && version.minor == 0 {
                out.writeStaticString("Connection: keep-alive\r\n")
            }
            out.writeStaticString("\r\n")
            out.writeBytes(body)
            return out
        }
    }
}

