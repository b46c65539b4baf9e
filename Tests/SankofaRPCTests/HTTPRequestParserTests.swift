import NIOCore
import NIOHTTP1
import Testing
@testable import SankofaRPC

/// The JSON-RPC endpoint's HTTP/1.1 framing (RFC 9112), without a socket: what a request yields, how bytes split
/// across reads frame the same requests, and what is refused.
@Suite("HTTP request parser")
struct HTTPRequestParserTests {
    /// What the connection uses of a request, comparable.
    struct Seen: Equatable, CustomStringConvertible {
        var method: String
        var target: String
        var minor: Int
        var host: String?
        var origin: String?
        var authorization: String?
        var keepAlive: Bool
        var expectsContinue: Bool
        var body: String
        var tooLarge: Bool

        init(_ r: HTTPRequest) {
            method = r.method.rawValue
            target = r.target
            minor = r.version.minor
            host = r.host
            origin = r.origin
            authorization = r.authorization
            keepAlive = r.keepAlive
            expectsContinue = r.expectsContinue
            body = String(buffer: r.body)
            tooLarge = r.tooLarge
        }

        var description: String { "\(method) \(target) 1.\(minor) body=\(body.count)B tooLarge=\(tooLarge) keepAlive=\(keepAlive)" }
    }

    /// Feeds `pieces` one after another into one buffer, as a connection's reads arrive.
    static func parse(_ pieces: [[UInt8]], maxBody: Int = 1_000) -> (requests: [Seen], error: HTTPRequestError?) {
        var parser = HTTPRequestParser(maxHeadBytes: 4_096, maxBodyBytes: maxBody)
        var buffer = ByteBuffer()
        var requests: [Seen] = []
        do {
            for piece in pieces {
                buffer.writeBytes(piece)
                while let request = try parser.next(from: &buffer) { requests.append(Seen(request)) }
            }
        } catch {
            return (requests, error)
        }
        return (requests, nil)
    }

    static func parse(_ text: String, maxBody: Int = 1_000) -> (requests: [Seen], error: HTTPRequestError?) {
        parse([Array(text.utf8)], maxBody: maxBody)
    }

    static let post = "POST / HTTP/1.1\r\nHost: 127.0.0.1:8545\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"jsonrpc\":1}"

    @Test func aPostWithItsFieldsAndBody() throws {
        let (requests, error) = Self.parse("POST /rpc?x=1 HTTP/1.1\r\nhOsT: node:8545\r\nOrigin: https://app\r\nAuthorization: Bearer t\r\nContent-Length: 2\r\n\r\n{}")
        #expect(error == nil)
        let request = try #require(requests.first)
        #expect(request.method == "POST" && request.target == "/rpc?x=1" && request.minor == 1)
        #expect(request.host == "node:8545" && request.origin == "https://app" && request.authorization == "Bearer t")
        #expect(request.body == "{}" && request.keepAlive && !request.expectsContinue && !request.tooLarge)
    }

    @Test func connectionPersistenceFollowsTheVersion() {
        #expect(Self.parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").requests.map(\.keepAlive) == [false])
        #expect(Self.parse("GET / HTTP/1.1\r\nConnection: foo, Close\r\n\r\n").requests.map(\.keepAlive) == [false])
        #expect(Self.parse("GET / HTTP/1.0\r\n\r\n").requests.map(\.keepAlive) == [false])
        #expect(Self.parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").requests.map(\.keepAlive) == [true])
        #expect(Self.parse("GET / HTTP/1.1\r\n\r\n").requests.map(\.keepAlive) == [true])
    }

    @Test func pipelinedRequestsAndEmptyLinesBetweenThem() {
        let (requests, error) = Self.parse(Self.post + "\r\n" + Self.post + "GET /liveness HTTP/1.1\r\n\r\n")
        #expect(error == nil)
        #expect(requests.map(\.method) == ["POST", "POST", "GET"])
        #expect(requests[1].body == #"{"jsonrpc":1}"#)
    }

    @Test func chunkedBodiesWithExtensionsAndTrailers() {
        let chunked = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\n{\"a\"\r\nA\r\n:123456789\r\n1 \r\n}\r\n0\r\nX-Trailer: yes\r\n\r\n"
        let (requests, error) = Self.parse(chunked + Self.post)
        #expect(error == nil)
        #expect(requests.map(\.body) == [#"{"a":123456789}"#, #"{"jsonrpc":1}"#])
    }

    /// However a connection's reads split the bytes, the same requests come out: whole, at every split point into
    /// two reads, and one byte per read.
    @Test(arguments: [
        post + post,
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n3\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n" + post,
        "\r\nGET /readiness?minPeers=0 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n" + post,
        "POST / HTTP/1.1\r\nContent-Length: 1200\r\n\r\n" + String(repeating: "x", count: 1_200) + post,
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" + String(repeating: "y", count: 1_024) + "\r\n0\r\n\r\n" + post,
    ])
    func framingDoesNotDependOnHowBytesArrive(stream: String) {
        let bytes = Array(stream.utf8)
        let whole = Self.parse([bytes])
        #expect(whole.error == nil && whole.requests.count == 2)
        for split in 1..<bytes.count {
            let pieces = Self.parse([Array(bytes[..<split]), Array(bytes[split...])])
            #expect(pieces.requests == whole.requests && pieces.error == nil, "split at \(split)")
        }
        let bytewise = Self.parse(bytes.map { [$0] })
        #expect(bytewise.requests == whole.requests && bytewise.error == nil)
    }

    @Test func bodiesOverTheLimitAreDroppedAndTheNextRequestStillFramed() {
        let long = String(repeating: "z", count: 2_000)
        let (requests, error) = Self.parse("POST / HTTP/1.1\r\nContent-Length: 2000\r\n\r\n\(long)" + Self.post)
        #expect(error == nil)
        #expect(requests.map(\.tooLarge) == [true, false] && requests[0].body.isEmpty)
        let chunked = Self.parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n7D0\r\n\(long)\r\n0\r\n\r\n" + Self.post)
        #expect(chunked.error == nil && chunked.requests.map(\.tooLarge) == [true, false])
    }

    @Test func expectContinueIsReportedUntilTheBodyArrives() throws {
        var parser = HTTPRequestParser(maxBodyBytes: 100)
        var buffer = ByteBuffer(string: "POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
        #expect(try parser.next(from: &buffer) == nil)
        #expect(parser.continueExpected && parser.isInsideRequest)
        buffer.writeString("{}")
        let request = try #require(try parser.next(from: &buffer))
        #expect(request.expectsContinue && !parser.continueExpected && !parser.isInsideRequest)
        // HTTP/1.0 has no interim answers.
        var old = ByteBuffer(string: "POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
        #expect(try parser.next(from: &old) == nil && !parser.continueExpected)
    }

    @Test(arguments: [
        ("POST / HTTP/1.1\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n", "both Content-Length and Transfer-Encoding"),
        ("POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n", "conflicting Content-Length"),
        ("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "Content-Length is not a number"),
        ("POST / HTTP/1.1\r\nContent-Length: 2, 2\r\n\r\n", "Content-Length is not a number"),
        ("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", "Content-Length is not a number"),
        ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", "Transfer-Encoding in an HTTP/1.0 request"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", "chunked applied more than once"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: \r\n\r\n", "an empty transfer coding"),
        ("POST /  HTTP/1.1\r\n\r\n", "the request line is not METHOD SP TARGET SP VERSION"),
        ("POST / HTTP/1.1 \r\n\r\n", "the request line is not METHOD SP TARGET SP VERSION"),
        ("PO(ST / HTTP/1.1\r\n\r\n", "bad method"),
        ("POST /\u{7F} HTTP/1.1\r\n\r\n", "bad request target"),
        ("POST / HTTP/1.x\r\n\r\n", "bad HTTP version"),
        ("POST / HTTP/1.1\r\nHost : a\r\n\r\n", "bad header field name"),
        ("POST / HTTP/1.1\r\nHost\r\n\r\n", "a header field without a colon"),
        ("POST / HTTP/1.1\r\nX: a\r\n b\r\n\r\n", "obsolete line folding"),
        ("POST / HTTP/1.1\nHost: a\r\n\r\n", "bare CR or LF in the head"),
        ("POST / HTTP/1.1\r\nX: a\rb\r\n\r\n", "bare CR or LF in the head"),
        ("POST / HTTP/1.1\r\nX: a\u{01}b\r\n\r\n", "a control character in a header field"),
        ("POST / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "more than one Host"),
        ("POST / HTTP/1.1\r\nAuthorization: Bearer a\r\nauthorization: Bearer b\r\n\r\n", "more than one Authorization"),
        ("POST / HTTP/1.1\r\nOrigin: https://a\r\nOrigin: https://b\r\n\r\n", "more than one Origin"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "bad chunk size"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1234567890ABCDEF0\r\n", "bad chunk size"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n", "chunk data not followed by CRLF"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\nab\r\n", "bare LF in the chunk size"),
    ])
    func malformedRequestsAreRefused(request: String, why: String) {
        let (requests, error) = Self.parse(request)
        #expect(requests.isEmpty)
        #expect(error == .malformed(why))
        #expect(error?.status == .badRequest)
    }

    /// After a refusal, where the next request would start is unknown: the parser does not guess.
    @Test func aRefusalIsFinal() throws {
        var parser = HTTPRequestParser(maxBodyBytes: 100)
        var buffer = ByteBuffer(string: "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n" + Self.post)
        #expect(throws: HTTPRequestError.malformed("bad chunk size")) { try parser.next(from: &buffer) }
        #expect(throws: HTTPRequestError.malformed("bad chunk size")) { try parser.next(from: &buffer) }
    }

    @Test func otherRefusalsCarryTheirStatus() {
        let gzip = Self.parse("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n").error
        #expect(gzip == .unsupportedTransferCoding("gzip") && gzip?.status == .notImplemented)
        let http2 = Self.parse("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").error
        #expect(http2 == .unsupportedVersion("HTTP/2.0") && http2?.status == .httpVersionNotSupported)
        let huge = Self.parse("GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 5_000)).error
        #expect(huge == .headTooLarge(limit: 4_096) && huge?.status == .requestHeaderFieldsTooLarge)
        let hugeWhole = Self.parse("GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 5_000) + "\r\n\r\n").error
        #expect(hugeWhole == .headTooLarge(limit: 4_096))
    }

    /// Found by the `http` fuzz target: a head whose blank line starts just inside the limit was refused as too large
    /// when its last byte came in a later read, and read when it came at once.
    @Test func aHeadEndingAtTheLimitIsReadHoweverItArrives() {
        let line = "GET / HTTP/1.1\r\nX: "
        let head = Array((line + String(repeating: "a", count: 4_094 - line.utf8.count) + "\r\n\r\n").utf8)
        let whole = Self.parse([head])
        #expect(whole.error == nil && whole.requests.count == 1)
        let split = Self.parse([Array(head.dropLast()), [head.last!]])
        #expect(split.error == nil && split.requests == whole.requests)
        let over = Array((line + String(repeating: "a", count: 4_097 - line.utf8.count) + "\r\n\r\n").utf8)
        #expect(Self.parse([over]).error == .headTooLarge(limit: 4_096))
        #expect(Self.parse([Array(over.dropLast()), [over.last!]]).error == .headTooLarge(limit: 4_096))
    }

    @Test func aHeadStillArrivingIsNotAnError() throws {
        var parser = HTTPRequestParser(maxBodyBytes: 100)
        var buffer = ByteBuffer(string: "POST / HTTP/1.1\r\nContent-Le")
        #expect(try parser.next(from: &buffer) == nil && !parser.isInsideRequest)
        buffer.writeString("ngth: 0\r\n\r")
        #expect(try parser.next(from: &buffer) == nil)
        buffer.writeString("\n")
        #expect(try parser.next(from: &buffer)?.body.readableBytes == 0)
        #expect(buffer.readableBytes == 0)
    }
}
