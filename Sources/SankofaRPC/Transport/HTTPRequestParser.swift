import NIOCore
import NIOHTTP1

/// One request to the JSON-RPC HTTP endpoint as its connection hands it on: the request line, the header fields
/// the endpoint acts on (Host, Origin, Authorization; the framing and connection fields are already applied) and
/// the whole body.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// The request target as sent: a path and maybe a query (`/readiness?minPeers=2`).
    public var target: String
    public var version: HTTPVersion
    public var host: String?
    public var origin: String?
    public var authorization: String?
    /// Whether the connection stays open after the answer (RFC 9112 §9.3): HTTP/1.1 unless `Connection: close`,
    /// HTTP/1.0 only with `Connection: keep-alive`.
    public var keepAlive: Bool
    /// `Expect: 100-continue` (RFC 9110 §10.1.1): the client may wait for an interim answer before the body.
    public var expectsContinue = false
    public var body = ByteBuffer()
    /// The body was longer than the endpoint takes: it was read and dropped, and `body` is empty.
    public var tooLarge = false
}

/// Why bytes from a client could not be framed as requests. The connection answers with `status` and closes,
/// since where the next request would start is unknown.
public enum HTTPRequestError: Error, Equatable, Sendable {
    /// Not HTTP/1.1 syntax: the request line, a header field, a chunk, the framing headers.
    case malformed(String)
    /// The request line and header fields are longer than the endpoint reads (RFC 6585 §5).
    case headTooLarge(limit: Int)
    /// A transfer coding other than `chunked` (RFC 9112 §6.1: answer 501).
    case unsupportedTransferCoding(String)
    /// An HTTP version other than 1.0 and 1.1 (HTTP/2 needs a different transport).
    case unsupportedVersion(String)

    public var status: HTTPResponseStatus {
        switch self {
        case .malformed: .badRequest
        case .headTooLarge: .requestHeaderFieldsTooLarge
        case .unsupportedTransferCoding: .notImplemented
        case .unsupportedVersion: .httpVersionNotSupported
        }
    }

    public var message: String {
        switch self {
        case .malformed(let why): "malformed HTTP request: \(why)"
        case .headTooLarge(let limit): "request line and header fields exceed \(limit) bytes"
        case .unsupportedTransferCoding(let coding): "transfer coding \(coding) is not supported (only chunked)"
        case .unsupportedVersion(let version): "\(version) is not supported; use HTTP/1.1"
        }
    }
}

/// Frames HTTP/1.1 requests (RFC 9112) out of a connection's bytes, for the JSON-RPC endpoint.
///
/// Why not NIO's `HTTPRequestDecoder`: at tens of thousands of small calls a second on one event loop, its
/// per-request work — a pipeline hop per part, a `String` per header name and value, the head, body and end
/// events — was about a fifth of the loop's time, more than the call itself. This reads only what the endpoint
/// uses and hands over a body that arrived with its head as a slice of the received bytes, without a copy.
///
/// Strict where a lenient reading could frame a request differently from the client (RFC 9112 §11.2): both
/// Content-Length and Transfer-Encoding, conflicting lengths, line folding, bare CR or LF, whitespace before a
/// field's colon, and transfer codings other than chunked are refused. Bounded: the head by `maxHeadBytes`, a
/// chunk-size line and the trailer section likewise; a body over `maxBodyBytes` is read and dropped, not kept.
public struct HTTPRequestParser {
    public let maxHeadBytes: Int
    public let maxBodyBytes: Int
    private var state = State.head(scanned: 0)
    /// The request whose head has been read while its body arrives.
    private var current: HTTPRequest?
    /// Set when a head with `Expect: 100-continue` was read and its body is still to come; the connection clears it
    /// once it has answered (or decided not to).
    public var continueExpected = false
    /// Bytes of a chunk-size or trailer line already searched for its end, so a line arriving a byte at a time is
    /// searched once, not once per byte.
    private var lineScanned = 0
    /// Once bytes could not be framed, where a next request would start is unknown: every later call fails alike.
    private var failure: HTTPRequestError?

    private enum State {
        /// Waiting for a whole head; the first `scanned` bytes hold no blank line.
        case head(scanned: Int)
        /// A Content-Length body of which `remaining` bytes are still to come.
        case fixed(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        /// The CRLF after a chunk's data.
        case chunkEnd
        /// Trailer fields after the last chunk, `read` bytes of them so far.
        case trailers(read: Int)
    }

    public init(maxHeadBytes: Int = 64 * 1024, maxBodyBytes: Int) {
        self.maxHeadBytes = maxHeadBytes
        self.maxBodyBytes = maxBodyBytes
    }

    /// Whether a request's head has been read and its body has not yet fully arrived.
    public var isInsideRequest: Bool { current != nil }

    /// The next complete request, its bytes taken from `buffer`; nil when `buffer` holds no complete request yet
    /// (what it holds stays there for the next call, with more bytes appended).
    public mutating func next(from buffer: inout ByteBuffer) throws(HTTPRequestError) -> HTTPRequest? {
        if let failure { throw failure }
        do {
            return try frame(&buffer)
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func frame(_ buffer: inout ByteBuffer) throws(HTTPRequestError) -> HTTPRequest? {
        while true {
            switch state {
            case .head(let scanned):
                if scanned == 0 { Self.skipEmptyLines(&buffer) }
                guard let end = try headEnd(in: buffer, scanned: scanned) else { return nil }
                let (request, framing) = try buffer.withUnsafeReadableBytes { raw throws(HTTPRequestError) in
                    try Self.head(UnsafeRawBufferPointer(rebasing: raw[..<end]))
                }
                buffer.moveReaderIndex(forwardBy: end + 4)
                current = request
                switch framing {
                case .chunked:
                    state = .chunkSize
                case .length(let length) where length > maxBodyBytes:
                    current!.tooLarge = true
                    state = .fixed(remaining: length)
                case .length(let length):
                    if length == 0 { return finish() }
                    state = .fixed(remaining: length)
                }
                continueExpected = request.expectsContinue && !current!.tooLarge
            case .fixed(let remaining):
                if current!.tooLarge {
                    let dropped = min(remaining, buffer.readableBytes)
                    buffer.moveReaderIndex(forwardBy: dropped)
                    guard dropped == remaining else {
                        state = .fixed(remaining: remaining - dropped)
                        return nil
                    }
                    return finish()
                }
                // Left in `buffer` until whole, then taken as one slice of it: no copy.
                guard let body = buffer.readSlice(length: remaining) else { return nil }
                current!.body = body
                return finish()
            case .chunkSize:
                guard let line = try line(in: &buffer, limit: 1_024, what: "chunk size") else { return nil }
                let size = try Self.chunkSize(line)
                state = size == 0 ? .trailers(read: 0) : .chunkData(remaining: size)
            case .chunkData(let remaining):
                let taken = min(remaining, buffer.readableBytes)
                guard taken > 0 else { return nil }
                var chunk = buffer.readSlice(length: taken)!
                if !current!.tooLarge {
                    if current!.body.readableBytes + taken > maxBodyBytes {
                        current!.tooLarge = true
                        current!.body = ByteBuffer()
                    } else {
                        current!.body.writeBuffer(&chunk)
                    }
                }
                state = taken == remaining ? .chunkEnd : .chunkData(remaining: remaining - taken)
            case .chunkEnd:
                guard let end = buffer.readInteger(as: UInt16.self) else { return nil }
                guard end == 0x0D0A else { throw .malformed("chunk data not followed by CRLF") }
                state = .chunkSize
            case .trailers(let read):
                let before = buffer.readableBytes
                guard let line = try line(in: &buffer, limit: max(0, maxHeadBytes - read), what: "trailer section") else {
                    return nil
                }
                // Trailer fields are read past, not used (RFC 9110 §6.5.1 lets a recipient discard them).
                if line.isEmpty { return finish() }
                state = .trailers(read: read + before - buffer.readableBytes)
            }
        }
    }

    private mutating func finish() -> HTTPRequest {
        defer {
            current = nil
            continueExpected = false
            state = .head(scanned: 0)
        }
        return current!
    }

    // MARK: Head

    /// Where the blank line ending the head starts, or nil while it has not arrived.
    private mutating func headEnd(in buffer: ByteBuffer, scanned: Int) throws(HTTPRequestError) -> Int? {
        let found: Int? = buffer.withUnsafeReadableBytes { raw in
            var i = max(0, scanned - 3)
            while i + 3 < raw.count {
                if raw[i + 3] != 0x0A { i += raw[i + 3] == 0x0D ? 1 : 4; continue }
                if raw[i] == 0x0D, raw[i + 1] == 0x0A, raw[i + 2] == 0x0D { return i }
                i += 1
            }
            return nil
        }
        if let found {
            guard found <= maxHeadBytes else { throw .headTooLarge(limit: maxHeadBytes) }
            return found
        }
        // Over the limit only once the blank line could no longer start within it, whatever the reads.
        guard buffer.readableBytes < maxHeadBytes + 4 else { throw .headTooLarge(limit: maxHeadBytes) }
        // A lone CR may begin an empty line still to be skipped: scan from the start again next time.
        if buffer.readableBytes != 1 || buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) != 0x0D {
            state = .head(scanned: buffer.readableBytes)
        }
        return nil
    }

    /// RFC 9112 §2.2: empty lines before a request line are ignored (some clients send CRLF after a body).
    private static func skipEmptyLines(_ buffer: inout ByteBuffer) {
        while buffer.readableBytes >= 2, buffer.getInteger(at: buffer.readerIndex, as: UInt16.self) == 0x0D0A {
            buffer.moveReaderIndex(forwardBy: 2)
        }
    }

    /// The header fields that frame the body and say what becomes of the connection.
    private struct FramingFields {
        var contentLength: Int?
        /// Transfer codings in the order applied, lower-cased; nil without Transfer-Encoding.
        var transferCodings: [String]?
        var closeRequested = false
        var keepAliveRequested = false
    }

    enum Framing: Equatable { case length(Int), chunked }

    /// Parses a head (request line and header fields, without the blank line that ends it).
    static func head(_ raw: UnsafeRawBufferPointer) throws(HTTPRequestError) -> (HTTPRequest, Framing) {
        var lines = LineCursor(raw)
        guard let requestLine = try lines.next() else { throw .malformed("no request line") }
        var request = try Self.requestLine(requestLine)
        var fields = FramingFields()
        while let field = try lines.next() {
            try Self.field(field, into: &request, fields: &fields)
        }
        let isHTTP11 = request.version.minor == 1
        request.keepAlive = isHTTP11 ? !fields.closeRequested : fields.keepAliveRequested && !fields.closeRequested
        if !isHTTP11 { request.expectsContinue = false }
        return (request, try framing(fields, isHTTP11: isHTTP11))
    }

    /// RFC 9112 §6.1–6.3: chunked, a length, or no body. Both framings at once, or chunked in HTTP/1.0, are what
    /// request smuggling is made of, and are refused rather than resolved.
    private static func framing(_ fields: FramingFields, isHTTP11: Bool) throws(HTTPRequestError) -> Framing {
        guard let codings = fields.transferCodings else { return .length(fields.contentLength ?? 0) }
        guard fields.contentLength == nil else { throw .malformed("both Content-Length and Transfer-Encoding") }
        guard isHTTP11 else { throw .malformed("Transfer-Encoding in an HTTP/1.0 request") }
        guard !codings.contains("") else { throw .malformed("an empty transfer coding") }
        if let other = codings.first(where: { $0 != "chunked" }) { throw .unsupportedTransferCoding(other) }
        guard codings.count == 1 else { throw .malformed("chunked applied more than once") }
        return .chunked
    }

    private static func requestLine(_ line: UnsafeRawBufferPointer) throws(HTTPRequestError) -> HTTPRequest {
        guard let firstSpace = line.firstIndex(of: 0x20),
              let secondSpace = line[(firstSpace + 1)...].firstIndex(of: 0x20),
              !line[(secondSpace + 1)...].contains(0x20) else {
            throw .malformed("the request line is not METHOD SP TARGET SP VERSION")
        }
        let method = UnsafeRawBufferPointer(rebasing: line[..<firstSpace])
        let target = UnsafeRawBufferPointer(rebasing: line[(firstSpace + 1)..<secondSpace])
        let version = UnsafeRawBufferPointer(rebasing: line[(secondSpace + 1)...])
        guard !method.isEmpty, method.allSatisfy(isTokenByte) else { throw .malformed("bad method") }
        guard !target.isEmpty, target.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw .malformed("bad request target") }
        return HTTPRequest(method: Self.method(method), target: String(decoding: target, as: UTF8.self),
                           version: try Self.version(version), keepAlive: true)
    }

    private static func method(_ bytes: UnsafeRawBufferPointer) -> HTTPMethod {
        if bytes.elementsEqual("POST".utf8) { return .POST }
        if bytes.elementsEqual("GET".utf8) { return .GET }
        if bytes.elementsEqual("OPTIONS".utf8) { return .OPTIONS }
        return HTTPMethod(rawValue: String(decoding: bytes, as: UTF8.self))
    }

    private static func version(_ bytes: UnsafeRawBufferPointer) throws(HTTPRequestError) -> HTTPVersion {
        guard bytes.count == 8, bytes.starts(with: "HTTP/".utf8), bytes[6] == UInt8(ascii: "."),
              let major = digit(bytes[5]), let minor = digit(bytes[7]) else {
            throw .malformed("bad HTTP version")
        }
        guard major == 1, minor <= 1 else { throw .unsupportedVersion(String(decoding: bytes, as: UTF8.self)) }
        return HTTPVersion(major: 1, minor: minor)
    }

    /// One `name: value` line (RFC 9112 §5): the fields the endpoint needs are kept, the rest are checked and skipped.
    private static func field(_ line: UnsafeRawBufferPointer, into request: inout HTTPRequest,
                              fields: inout FramingFields) throws(HTTPRequestError) {
        guard let first = line.first, first != 0x20, first != 0x09 else { throw .malformed("obsolete line folding") }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw .malformed("a header field without a colon") }
        let name = UnsafeRawBufferPointer(rebasing: line[..<colon])
        guard !name.isEmpty, name.allSatisfy(isTokenByte) else { throw .malformed("bad header field name") }
        var start = colon + 1, end = line.count
        while start < end, line[start] == 0x20 || line[start] == 0x09 { start += 1 }
        while end > start, line[end - 1] == 0x20 || line[end - 1] == 0x09 { end -= 1 }
        let value = UnsafeRawBufferPointer(rebasing: line[start..<end])
        // Field values: visible characters, spaces, tabs and obs-text; no other control character (RFC 9110 §5.5).
        guard value.allSatisfy({ $0 >= 0x20 && $0 != 0x7F || $0 == 0x09 }) else { throw .malformed("a control character in a header field") }
        switch name.count {
        case 4 where equalsLowercased(name, "host"):
            guard request.host == nil else { throw .malformed("more than one Host") }
            request.host = String(decoding: value, as: UTF8.self)
        case 6 where equalsLowercased(name, "origin"):
            // One value, or a proxy that checked the first and the node acting on the last would disagree.
            guard request.origin == nil else { throw .malformed("more than one Origin") }
            request.origin = String(decoding: value, as: UTF8.self)
        case 6 where equalsLowercased(name, "expect"):
            request.expectsContinue = equalsLowercased(value, "100-continue")
        case 10 where equalsLowercased(name, "connection"):
            for token in value.split(separator: UInt8(ascii: ",")) {
                let token = trimmed(token)
                if equalsLowercased(token, "close") { fields.closeRequested = true }
                if equalsLowercased(token, "keep-alive") { fields.keepAliveRequested = true }
            }
        case 13 where equalsLowercased(name, "authorization"):
            guard request.authorization == nil else { throw .malformed("more than one Authorization") }
            request.authorization = String(decoding: value, as: UTF8.self)
        case 14 where equalsLowercased(name, "content-length"):
            guard !value.isEmpty, value.count <= 18, value.allSatisfy({ digit($0) != nil }) else {
                throw .malformed("Content-Length is not a number")
            }
            let length = value.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            guard fields.contentLength == nil || fields.contentLength == length else { throw .malformed("conflicting Content-Length") }
            fields.contentLength = length
        case 17 where equalsLowercased(name, "transfer-encoding"):
            // Several fields make one list (RFC 9110 §5.3); an empty member is still a coding, and not chunked.
            let codings = value.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map {
                String(decoding: trimmed($0), as: UTF8.self).lowercased()
            }
            fields.transferCodings = (fields.transferCodings ?? []) + codings
        default:
            break
        }
    }

    // MARK: Chunks

    /// The next CRLF-terminated line, taken from `buffer` without its CRLF; nil while it has not arrived.
    private mutating func line(in buffer: inout ByteBuffer, limit: Int, what: String) throws(HTTPRequestError) -> [UInt8]? {
        let end: Int? = buffer.withUnsafeReadableBytes { [lineScanned] raw in raw[min(lineScanned, raw.count)...].firstIndex(of: 0x0A) }
        guard let end else {
            guard buffer.readableBytes <= limit else { throw .malformed("\(what) line too long") }
            lineScanned = buffer.readableBytes
            return nil
        }
        lineScanned = 0
        guard end <= limit else { throw .malformed("\(what) line too long") }
        guard end > 0, buffer.getInteger(at: buffer.readerIndex + end - 1, as: UInt8.self) == 0x0D else {
            throw .malformed("bare LF in the \(what)")
        }
        let line = buffer.readBytes(length: end - 1)!
        buffer.moveReaderIndex(forwardBy: 2)
        guard !line.contains(0x0D) else { throw .malformed("bare CR in the \(what)") }
        return line
    }

    /// `chunk-size [; chunk-ext]` (RFC 9112 §7.1): hexadecimal, extensions ignored.
    private static func chunkSize(_ line: [UInt8]) throws(HTTPRequestError) -> Int {
        let digits = line.prefix { hexDigit($0) != nil }
        let rest = line[digits.count...].drop { $0 == 0x20 || $0 == 0x09 }
        guard !digits.isEmpty, digits.count <= 15, rest.isEmpty || rest.first == UInt8(ascii: ";") else {
            throw .malformed("bad chunk size")
        }
        return digits.reduce(0) { $0 << 4 | hexDigit($1)! }
    }

    // MARK: Bytes

    /// RFC 9110 §5.6.2 tchar: letters, digits and ``!#$%&'*+-.^_`|~``, as a bit per ASCII byte.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        byte < 128 && (byte < 64 ? tokenBitsLow >> byte : tokenBitsHigh >> (byte - 64)) & 1 == 1
    }

    private static let tokenBitsLow: UInt64 = tokenBits(0..<64)
    private static let tokenBitsHigh: UInt64 = tokenBits(64..<128)

    private static func tokenBits(_ range: Range<UInt8>) -> UInt64 {
        let symbols = Array("!#$%&'*+-.^_`|~".utf8)
        return range.reduce(0) { bits, byte in
            let isToken = (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || symbols.contains(byte)
            return isToken ? bits | 1 << (byte - range.lowerBound) : bits
        }
    }

    private static func digit(_ byte: UInt8) -> Int? {
        byte >= 0x30 && byte <= 0x39 ? Int(byte - 0x30) : nil
    }

    private static func hexDigit(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: Int(byte - 0x30)
        case 0x41...0x46: Int(byte - 0x41 + 10)
        case 0x61...0x66: Int(byte - 0x61 + 10)
        default: nil
        }
    }

    /// ASCII case-insensitive comparison with a lower-case literal.
    private static func equalsLowercased(_ bytes: some Collection<UInt8>, _ lower: StaticString) -> Bool {
        guard bytes.count == lower.utf8CodeUnitCount else { return false }
        let expected = UnsafeBufferPointer(start: lower.utf8Start, count: lower.utf8CodeUnitCount)
        return zip(bytes, expected).allSatisfy { (byte: UInt8, want: UInt8) -> Bool in
            let folded: UInt8 = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            return folded == want
        }
    }

    private static func trimmed(_ bytes: Slice<UnsafeRawBufferPointer>) -> Slice<UnsafeRawBufferPointer> {
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return bytes[start..<end]
    }
}

/// The CRLF-separated lines of a head; a CR or LF anywhere else is an error (RFC 9112 §2.2 lets a server refuse
/// bare CR and bare LF, and reading them the way some other party does not is how requests get smuggled).
private struct LineCursor {
    let raw: UnsafeRawBufferPointer
    var position = 0

    init(_ raw: UnsafeRawBufferPointer) { self.raw = raw }

    mutating func next() throws(HTTPRequestError) -> UnsafeRawBufferPointer? {
        guard position <= raw.count else { return nil }
        var i = position
        while i < raw.count, raw[i] != 0x0D, raw[i] != 0x0A { i += 1 }
        let line = UnsafeRawBufferPointer(rebasing: raw[position..<i])
        if i == raw.count {
            position = raw.count + 1
            return line
        }
        guard raw[i] == 0x0D, i + 1 < raw.count, raw[i + 1] == 0x0A else { throw .malformed("bare CR or LF in the head") }
        position = i + 2
        return line
    }
}
