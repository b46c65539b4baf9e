import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import SankofaJSON
import SankofaRPC

/// lb-watch's small HTTP API: `GET /status`, `GET /config`, `POST /reload` (behind the JWT check of
/// `RPCAuthenticator` when configured: permissions `lbwatch:status`, `lbwatch:config`, `lbwatch:reload`, or
/// `lbwatch:*` / `*:*`), and `GET /metrics` for Prometheus (open, as scrapers expect).
public struct LBWatchAPI: Sendable {
    /// `--api-host` and `--api-port` (0 picks a free port).
    public let host: String
    public let port: Int
    let watcher: LBWatcher
    let authentication: RPCAuthenticator?
    let logger: Logger

    /// An API over `watcher`'s status; `authentication` nil leaves it open.
    public init(host: String, port: Int, watcher: LBWatcher, authentication: RPCAuthenticator?, logger: Logger) {
        self.host = host
        self.port = port
        self.watcher = watcher
        self.authentication = authentication
        self.logger = logger
    }

    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    /// Binds (port 0 picks a free one) and returns the server channel; `serve` runs it.
    public func bind() async throws -> NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never> {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
    }

    /// Serves until cancelled; at most 64 connections at once.
    public func serve(_ server: NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>) async throws {
        let open = NIOLockedValueBox(0)
        try await withThrowingDiscardingTaskGroup { group in
            try await server.executeThenClose { inbound in
                for try await connection in inbound {
                    let admitted = open.withLockedValue { count -> Bool in
                        guard count < 64 else { return false }
                        count += 1
                        return true
                    }
                    guard admitted else {
                        try? await connection.channel.close()
                        continue
                    }
                    group.addTask {
                        defer { open.withLockedValue { $0 -= 1 } }
                        // A client that never finishes its request is dropped after 10 s.
                        try? await withThrowingTaskGroup(of: Void.self) { race in
                            race.addTask { try await handle(connection) }
                            race.addTask {
                                try await Task.sleep(for: .seconds(10))
                                try? await connection.channel.close()
                            }
                            try await race.next()
                            race.cancelAll()
                        }
                    }
                }
            }
        }
    }

    func handle(_ connection: Connection) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            for try await part in inbound {
                switch part {
                case .head(let request): head = request
                case .body: continue   // no endpoint takes a body
                case .end:
                    guard let request = head else { continue }
                    let (status, type, body) = await respond(request)
                    var headers = HTTPHeaders()
                    headers.add(name: "Content-Type", value: type)
                    headers.add(name: "Content-Length", value: String(body.count))
                    headers.add(name: "Connection", value: "close")
                    try await outbound.write(.head(HTTPResponseHead(version: request.version, status: status, headers: headers)))
                    try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body))))
                    try await outbound.write(.end(nil))
                    return
                }
            }
        }
    }

    func respond(_ request: HTTPRequestHead) async -> (HTTPResponseStatus, String, [UInt8]) {
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
        let route: (HTTPMethod, String)? = switch path {
        case "/status": (.GET, "lbwatch_status")
        case "/config": (.GET, "lbwatch_config")
        case "/reload": (.POST, "lbwatch_reload")
        case "/metrics": (.GET, "")
        default: nil
        }
        guard let (method, permission) = route else { return Self.json(.notFound, ["message": "unknown path"]) }
        guard request.method == method else { return Self.json(.methodNotAllowed, ["message": .string("use \(method)")]) }
        if let authentication, !permission.isEmpty {
            do {
                let claims = try authentication.authenticate(token: RPCAuthenticator.bearerToken(request.headers.first(name: "Authorization")))
                guard claims.permissions.allows(permission) else {
                    return Self.json(.unauthorized, ["message": .string("Unauthorized: token lacks lbwatch:\(permission.dropFirst(8))")])
                }
            } catch {
                return Self.json(.unauthorized, ["message": .string("Unauthorized: \(error.description)")])
            }
        }
        switch path {
        case "/status": return (.ok, "application/json", JSONWriter.encode(watcher.status.json()))
        case "/config": return (.ok, "text/plain; charset=utf-8", Array(watcher.status.config.utf8))
        case "/metrics": return (.ok, "text/plain; version=0.0.4", Array(watcher.status.prometheus().utf8))
        default:
            let result = await watcher.reloadNow()
            return Self.json(result == "ok" ? .ok : .internalServerError, ["result": .string(result)])
        }
    }

    static func json(_ status: HTTPResponseStatus, _ body: JSON) -> (HTTPResponseStatus, String, [UInt8]) {
        (status, "application/json", JSONWriter.encode(body))
    }
}
