#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOHTTP1
import NIOPosix
import SankofaJSON

/// An `http://host:port/path` JSON-RPC endpoint named by `--rpc`.
struct RPCEndpoint: Sendable, Equatable, CustomStringConvertible {
    let host: String
    let port: Int
    let path: String

    var description: String { "http://\(host):\(port)\(path == "/" ? "" : path)" }

    /// Parses one URL; only plain HTTP is spoken (the load generator talks to nodes on a trusted network).
    init(parsing text: String) throws(CLIError) {
        let expected = "http://HOST:PORT (e.g. http://127.0.0.1:8545), not \(text)"
        guard text.hasPrefix("http://") else { throw .invalidFlag(flag: "--rpc", expected: expected) }
        let rest = text.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        guard let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...]),
              (1...65_535).contains(port), colon != authority.startIndex
        else { throw .invalidFlag(flag: "--rpc", expected: expected) }
        host = String(authority[..<colon])
        self.port = port
        self.path = path.isEmpty ? "/" : String(path)
    }

    init(host: String, port: Int, path: String = "/") {
        self.host = host
        self.port = port
        self.path = path
    }
}

/// Why an exchange with a node failed, as one line.
struct HTTPClientError: Error, CustomStringConvertible {
    let description: String
}

/// One keep-alive HTTP/1.1 connection to a node, used for one request at a time by its owner: the load generator
/// keeps several of these open per node so that several batches are in flight; `network status` asks each node
/// once. Scoped (`with`), so the socket is always closed. (No async-http-client in the package mirror; this is
/// all the CLI needs.)
struct HTTPClientConnection: ~Copyable {
    typealias Channel = NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>

    let endpoint: RPCEndpoint
    private var inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>

    private init(endpoint: RPCEndpoint, inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator,
                 outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>) {
        self.endpoint = endpoint
        self.inbound = inbound
        self.outbound = outbound
    }

    /// Connects, runs `body` with the connection, and closes it whatever happens.
    static func with<R: Sendable>(_ endpoint: RPCEndpoint,
                                  _ body: (inout HTTPClientConnection) async throws -> R) async throws -> R {
        let channel: Channel
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(5))
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: endpoint.host, port: endpoint.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try Channel(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw HTTPClientError(description: "cannot connect to \(endpoint): \(Self.reason(error))")
        }
        return try await channel.executeThenClose { inbound, outbound in
            var connection = HTTPClientConnection(endpoint: endpoint, inbound: inbound.makeAsyncIterator(), outbound: outbound)
            return try await body(&connection)
        }
    }

    /// POSTs a JSON body to the endpoint's path and returns the response body; a status other than 200 is an error.
    mutating func post(_ body: [UInt8]) async throws -> [UInt8] {
        try await request(.POST, path: endpoint.path, body: body)
    }

    /// GETs the endpoint's path (e.g. Prometheus `/metrics`).
    mutating func get() async throws -> [UInt8] {
        try await request(.GET, path: endpoint.path, body: nil)
    }

    private mutating func request(_ method: HTTPMethod, path: String, body: [UInt8]?) async throws -> [UInt8] {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "\(endpoint.host):\(endpoint.port)")
        if let body {
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: String(body.count))
        }
        do {
            try await outbound.write(.head(HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)))
            if let body { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
            try await outbound.write(.end(nil))
        } catch {
            throw HTTPClientError(description: "\(endpoint): sending failed: \(Self.reason(error))")
        }
        var status = HTTPResponseStatus.ok
        var reply = ByteBuffer()
        while true {
            let part: HTTPClientResponsePart?
            do { part = try await inbound.next() } catch {
                throw HTTPClientError(description: "\(endpoint): connection failed: \(Self.reason(error))")
            }
            switch part {
            case .head(let head)?: status = head.status
            case .body(var chunk)?: reply.writeBuffer(&chunk)
            case .end?:
                let bytes = reply.readBytes(length: reply.readableBytes) ?? []
                guard status == .ok else {
                    let text = String(decoding: bytes.prefix(200), as: UTF8.self)
                    throw HTTPClientError(description: "\(endpoint): HTTP \(status.code) \(text)")
                }
                return bytes
            case nil:
                throw HTTPClientError(description: "\(endpoint): the node closed the connection")
            }
        }
    }

    /// One JSON-RPC call; a JSON-RPC error is thrown with its message.
    mutating func call(_ method: String, _ params: [JSON]) async throws -> JSON {
        let reply = try await post(JSONWriter.encode(BenchRPC.request(id: 1, method, params)))
        let response = try BenchRPC.parse(reply, from: endpoint)
        if let error = response["error"] {
            throw HTTPClientError(description: "\(method) failed on \(endpoint): \(error["message"]?.stringValue ?? JSONWriter.string(error))")
        }
        return response["result"] ?? .null
    }

    /// A batch of calls; the results come back in the order of `calls`, each a result or a JSON-RPC error message.
    mutating func batch(_ calls: [(String, [JSON])]) async throws -> [Result<JSON, BenchRPC.CallError>] {
        guard !calls.isEmpty else { return [] }
        let body = JSON.array(calls.enumerated().map { BenchRPC.request(id: $0.offset, $0.element.0, $0.element.1) })
        let reply = try BenchRPC.parse(try await post(JSONWriter.encode(body)), from: endpoint)
        return try BenchRPC.results(of: reply, count: calls.count, from: endpoint)
    }

    /// A socket error as a short phrase (`connection refused`) rather than NIO's nested dump.
    static func reason(_ error: any Error) -> String {
        if let error = error as? NIOConnectionError {
            if let first = error.connectionErrors.first { return reason(first.error) }
            if error.dnsAError != nil || error.dnsAAAAError != nil { return "cannot resolve \(error.host)" }
        }
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)).lowercased() }
        if let error = error as? ChannelError, case .connectTimeout = error { return "connection timed out" }
        return String(describing: error)
    }
}

/// JSON-RPC framing shared by the load generator's calls.
enum BenchRPC {
    /// A call's JSON-RPC error, by message.
    struct CallError: Error, Equatable {
        let message: String
    }

    static func request(id: Int, _ method: String, _ params: [JSON]) -> JSON {
        .object(JSONObject([("jsonrpc", "2.0"), ("id", .number(JSONNumber(id))), ("method", .string(method)),
                            ("params", .array(params))]))
    }

    static func parse(_ bytes: [UInt8], from endpoint: RPCEndpoint) throws -> JSON {
        do { return try JSONParser.parse(bytes, limits: JSONLimits(maxDepth: 64, maxStringBytes: 64 << 20, maxElements: 50_000_000)) } catch {
            throw HTTPClientError(description: "\(endpoint) answered with invalid JSON: \(error)")
        }
    }

    /// Matches a batch reply to its calls by id (0 ..< count). A whole-batch error (e.g. batch too large) is thrown.
    static func results(of reply: JSON, count: Int, from endpoint: RPCEndpoint) throws -> [Result<JSON, CallError>] {
        guard let responses = reply.arrayValue else {
            let message = reply["error"]?["message"]?.stringValue ?? JSONWriter.string(reply)
            throw HTTPClientError(description: "\(endpoint) refused the batch: \(message)")
        }
        var results = [Result<JSON, CallError>](repeating: .failure(CallError(message: "no answer in the batch reply")), count: count)
        for response in responses {
            guard let id = response["id"]?.intValue, results.indices.contains(id) else { continue }
            if let error = response["error"] {
                results[id] = .failure(CallError(message: error["message"]?.stringValue ?? JSONWriter.string(error)))
            } else {
                results[id] = .success(response["result"] ?? .null)
            }
        }
        return results
    }
}
