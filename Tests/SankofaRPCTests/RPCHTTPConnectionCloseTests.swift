import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SankofaTestSupport
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
