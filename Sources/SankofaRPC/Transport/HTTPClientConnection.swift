#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOHTTP1
import NIOPosix

/// An `http://host:port/path` endpoint: a node's JSON-RPC (`--rpc`) or an etcd member (`--validator-lease-endpoints`).
public struct HTTPEndpoint: Sendable, Equatable, CustomStringConvertible {
    public let host: String
    public let port: Int
    public let path: String

    public var description: String { "http://\(host):\(port)\(path == "/" ? "" : path)" }

    public init(host: String, port: Int, path: String = "/") {
        self.host = host
        self.port = port
        self.path = path
    }

    /// Parses `http://HOST:PORT[/PATH]`; nil for anything else (only plain HTTP is spoken: these endpoints are on a
    /// trusted network).
    public init?(url text: String) {
        guard text.hasPrefix("http://") else { return nil }
        let rest = text.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        guard let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...]),
              (1...65_535).contains(port), colon != authority.startIndex
        else { return nil }
        host = String(authority[..<colon])
        self.port = port
        self.path = path.isEmpty ? "/" : String(path)
    }
}

/// Why an exchange with a server failed, as one line.
public struct HTTPClientError: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}

/// One keep-alive HTTP/1.1 connection to a node, used for one request at a time by its owner: the load generator
/// keeps several of these open per node so that several batches are in flight; `network status` asks each node
/// once; the validator lease talks to etcd's JSON gateway. Scoped (`with`), so the socket is always closed. (No
/// async-http-client in the package mirror; this is all the CLI and the node need.)
public struct HTTPClientConnection: ~Copyable {
    public typealias Channel = NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>

    public let endpoint: HTTPEndpoint
    private var inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>

    private init(endpoint: HTTPEndpoint, inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator,
                 outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>) {
        self.endpoint = endpoint
        self.inbound = inbound
        self.outbound = outbound
    }

    /// Connects, runs `body` with the connection, and closes it whatever happens.
    public static func with<R: Sendable>(_ endpoint: HTTPEndpoint,
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
    public mutating func post(_ body: [UInt8]) async throws -> [UInt8] {
        try await request(.POST, path: endpoint.path, body: body)
    }

    /// POSTs a JSON body to another path on the same server (etcd's JSON gateway has one path per call).
    public mutating func post(_ body: [UInt8], path: String) async throws -> [UInt8] {
        try await request(.POST, path: path, body: body)
    }

    /// GETs the endpoint's path (e.g. Prometheus `/metrics`).
    public mutating func get() async throws -> [UInt8] {
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
                throw HTTPClientError(description: "\(endpoint): the server closed the connection")
            }
        }
    }

    /// A socket error as a short phrase (`connection refused`) rather than NIO's nested dump.
    public static func reason(_ error: any Error) -> String {
        if let error = error as? NIOConnectionError {
            if let first = error.connectionErrors.first { return reason(first.error) }
            if error.dnsAError != nil || error.dnsAAAAError != nil { return "cannot resolve \(error.host)" }
        }
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)).lowercased() }
        if let error = error as? ChannelError, case .connectTimeout = error { return "connection timed out" }
        return String(describing: error)
    }
}
