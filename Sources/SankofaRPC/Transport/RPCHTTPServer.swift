import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import SankofaJSON
import ServiceLifecycle

/// The HTTP endpoint's settings (Besu's flags).
public struct RPCHTTPSettings: Sendable {
    public var host = "127.0.0.1"
    public var port = 8545
    /// Largest request body accepted; larger ones get `-32600` without being buffered.
    public var maxBodyBytes = 5 * 1024 * 1024
    /// `--rpc-http-max-active-connections`: open connections beyond this are closed at once.
    public var maxConnections = 1_024
    /// `--rpc-http-max-connections-per-address`: connections one remote IP address may hold, so one client's idle
    /// or slow connections cannot take every slot (a load balancer in front counts as one address: raise it there).
    public var maxConnectionsPerAddress = 256
    /// `--rpc-http-idle-timeout`: a connection with no request under way is closed after this (geth: 120 s).
    public var idleTimeout: TimeAmount = .seconds(60)
    /// `--rpc-http-request-timeout`: a request's headers and body must arrive within this of its first byte
    /// (geth's `ReadTimeout`, 30 s), which ends slowloris clients.
    public var requestTimeout: TimeAmount = .seconds(30)
    /// `--host-allowlist`: values of the Host header that may call.
    public var hostAllowlist: HostAllowlist = ["localhost", "127.0.0.1"]
    /// `--rpc-http-cors-origins`: browser origins allowed; "*" allows any; empty disables CORS.
    public var corsOrigins: [String] = []
    /// `--rpc-http-authentication-enabled`: every call needs a bearer token; `POST /login` issues them when a
    /// credentials file is configured. `nil` leaves the endpoint open.
    public var authentication: RPCAuthenticator?
    /// `--rpc-http-threads`: event-loop threads of the endpoint's own, for `run()` (`RPCHTTPServer.eventLoops`).
    /// `nil` serves on NIO's shared event loops (what tests and embedders get).
    public var eventLoopThreads: Int?
    /// The node's default: half the cores, at least one. The transport's own loops keep a flood of HTTP clients
    /// from taking every core from P2P, consensus and import; and on a small machine, where clients share the cores,
    /// fewer loops preempted by other threads keep latency flat (`Benchmarks/http-vs-nginx.sh`).
    public static var defaultEventLoopThreads: Int { max(1, System.coreCount / 2) }

    public init() {}
}

/// What the health endpoints report (`/liveness`, `/readiness`).
public protocol HealthProvider: Sendable {
    /// Whether a load balancer should send reads here (`/readiness` answers 200 when true, 503 when false): the
    /// node has at least `check.minPeers` peers and is at most `check.maxBlocksBehind` blocks behind the best head
    /// it knows of (Besu's readiness check and query parameters).
    func isReady(_ check: ReadinessCheck) async -> Bool
}

/// The thresholds of a `/readiness` request: `?minPeers=&maxBlocksBehind=`, Besu's names and defaults (1 and 2).
public struct ReadinessCheck: Sendable, Equatable {
    public var minPeers = 1
    public var maxBlocksBehind: UInt64 = 2

    public init(minPeers: Int = 1, maxBlocksBehind: UInt64 = 2) {
        self.minPeers = minPeers
        self.maxBlocksBehind = maxBlocksBehind
    }

    /// Reads the parameters from a query string (`a=1&b=2`); nil when one is present but not a count.
    public init?(query: Substring?) {
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "minPeers":
                guard let value = Int(parts[1]), value >= 0 else { return nil }
                minPeers = value
            case "maxBlocksBehind":
                guard let value = UInt64(parts[1]) else { return nil }
                maxBlocksBehind = value
            default: continue
            }
        }
    }
}

/// JSON-RPC over HTTP/1.1 (POST, batches, keep-alive, pipelining in order) plus the load-balancer health checks.
public struct RPCHTTPServer: Service, CustomStringConvertible {
    let settings: RPCHTTPSettings
    let dispatcher: RPCDispatcher
    let health: any HealthProvider
    let logger: Logger
    let connections = ConnectionCounter()

    public var description: String { "RPCHTTPServer(\(settings.host):\(settings.port))" }

    public init(settings: RPCHTTPSettings, dispatcher: RPCDispatcher, health: any HealthProvider, logger: Logger) {
        self.settings = settings
        self.dispatcher = dispatcher
        self.health = health
        self.logger = logger
    }

    /// An accepted connection: its channel already answers requests (`RPCHTTPConnectionHandler`); the accept loop
    /// only closes it on shutdown, or at once when it was over a connection limit.
    public struct Connection: Sendable {
        let channel: any Channel
        let admitted: Bool
    }

    /// Binds the socket on `group`; `run()` serves it. Split so tests can bind port 0 and learn the port.
    public func bind(on group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> NIOAsyncChannel<Connection, Never> {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: settings.host, port: settings.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let address = channel.remoteAddress?.ipAddress ?? "unknown"
                    guard connections.open(from: address, limit: settings.maxConnections,
                                           perAddress: settings.maxConnectionsPerAddress) else {
                        return Connection(channel: channel, admitted: false)
                    }
                    channel.closeFuture.whenComplete { _ in connections.close(from: address) }
                    let timeouts = HTTPConnectionTimeouts(idle: settings.idleTimeout, request: settings.requestTimeout)
                    try channel.pipeline.syncOperations.addHandler(
                        RPCHTTPConnectionHandler(server: self, client: address, timeouts: timeouts, loop: channel.eventLoop))
                    return Connection(channel: channel, admitted: true)
                }
            }
    }

    public func run() async throws {
        let server: NIOAsyncChannel<Connection, Never>
        do { server = try await bind(on: settings.eventLoopThreads.map(Self.eventLoops) ?? MultiThreadedEventLoopGroup.singleton) } catch {
            throw ListenError(endpoint: "JSON-RPC HTTP", host: settings.host, port: settings.port, cause: error)
        }
        try await serve(server)
    }

    /// The endpoint's own event loops, one group per size for the life of the process, as NIO's shared group: a
    /// call still running when the server stops (a heavy call, a readiness check) hands its answer to its loop,
    /// which must still be there; and a node restarted in the same process takes the same threads again.
    static func eventLoops(threads: Int) -> MultiThreadedEventLoopGroup {
        groups.withLockedValue { groups in
            if let group = groups[threads] { return group }
            let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
            groups[threads] = group
            return group
        }
    }

    private static let groups = NIOLockedValueBox([Int: MultiThreadedEventLoopGroup]())

    /// Accepts connections until graceful shutdown, then closes every open one (keep-alive connections would
    /// otherwise hold the server open).
    public func serve(_ server: NIOAsyncChannel<Connection, Never>) async throws {
        logger.info("JSON-RPC HTTP on http://\(settings.host):\(server.channel.localAddress?.port ?? settings.port)")
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { inbound in
                    for try await connection in inbound {
                        let channel = connection.channel
                        guard connection.admitted else {
                            try? await channel.close()
                            continue
                        }
                        // Graceful shutdown (or cancellation) closes the connection; until then it lives on its own.
                        group.addTask {
                            await cancelWhenGracefulShutdown {
                                await withTaskCancellationHandler {
                                    try? await channel.closeFuture.get()
                                } onCancel: {
                                    channel.close(promise: nil)
                                }
                            }
                        }
                    }
                }
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
        }
    }

    /// Where a request goes once its head has been checked (path, Host, Origin, method, size, token), so the checks
    /// run once whether the answer comes at once or from a task.
    enum Route: Sendable {
        case answered(Response)
        case readiness(ReadinessCheck)
        case login(HTTPRequest, cors: [(String, String)])
        /// JSON-RPC; `refused` when a call names a method the token does not allow (answered 401, as Besu does), nil
        /// while a large body is unparsed: it is checked where it is parsed for its answer, on the heavy calls'
        /// threads, never on the event loop (`RPCDispatcher.handleCheckingPermissions`).
        case call(body: RPCRequestBody, context: RPCCallContext, refused: Bool?, cors: [(String, String)])
    }

    func route(_ request: HTTPRequest, client: String) -> Route {
        let queryStart = request.target.firstIndex(of: "?")
        let path = request.target[..<(queryStart ?? request.target.endIndex)]
        if request.method == .GET, path == "/liveness" {
            return .answered(Response(status: .ok, body: Array(#"{"status":"UP"}"#.utf8)))
        }
        if request.method == .GET, path == "/readiness" {
            guard let check = ReadinessCheck(query: queryStart.map { request.target[request.target.index(after: $0)...] }) else {
                return .answered(Response(status: .badRequest, body: Array(#"{"message":"minPeers and maxBlocksBehind must be non-negative integers"}"#.utf8)))
            }
            return .readiness(check)
        }
        guard settings.hostAllowlist.allows(request.host) else {
            return .answered(Response(status: .forbidden, body: Array(#"{"message":"Host not authorized."}"#.utf8)))
        }
        var cors: [(String, String)] = []
        if let origin = request.origin {
            guard originAllowed(origin) else {
                return .answered(Response(status: .forbidden, body: Array(#"{"message":"Origin not allowed."}"#.utf8)))
            }
            cors = [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")]
        }
        if request.method == .OPTIONS {
            return .answered(Response(status: .noContent, body: [], headers: cors + [
                ("Access-Control-Allow-Methods", "POST, OPTIONS"),
                ("Access-Control-Allow-Headers", "Content-Type, Authorization"), ("Access-Control-Max-Age", "600"),
            ]))
        }
        if path == "/login" {
            return .login(request, cors: cors)
        }
        guard request.method == .POST else {
            return .answered(Response(status: .methodNotAllowed, body: Array(#"{"message":"JSON-RPC requests use POST"}"#.utf8)))
        }
        if request.tooLarge {
            return .answered(Response(status: .payloadTooLarge,
                                      body: JSONWriter.encode(RPCDispatcher.response(id: .null, error: .requestTooLarge)), headers: cors))
        }
        var context = RPCCallContext(notifier: nil, client: client)
        if let auth = settings.authentication {
            do {
                let claims = try auth.authenticate(token: RPCAuthenticator.bearerToken(request.authorization))
                context = RPCCallContext(notifier: nil, permissions: claims.permissions, client: client)
            } catch {
                return .answered(Self.unauthorized(error, cors: cors))
            }
        }
        let rpcBody = request.body.withUnsafeReadableBytes { dispatcher.read($0) }
        let refused: Bool? = switch rpcBody {
        case .parsed(let parsed): dispatcher.refusesAny(parsed, context: context)
        case .malformed: false
        case .large: context.permissions == nil ? false : nil
        }
        return .call(body: rpcBody, context: context, refused: refused, cors: cors)
    }

    /// The answer when it needs no suspension (the request was refused, or is one call to an immediate method);
    /// nil when `response(to:)` must work it out on a task.
    func immediateResponse(to route: Route) -> Response? {
        switch route {
        case .answered(let response):
            return response
        case .call(let body, let context, let refused, let cors):
            return dispatcher.immediateAnswer(body, context: context).map { Response(status: refused == true ? .unauthorized : .ok, body: $0, headers: cors) }
        case .readiness, .login:
            return nil
        }
    }

    func response(to route: Route) async -> Response {
        switch route {
        case .answered(let response):
            return response
        case .readiness(let check):
            let ready = await health.isReady(check)
            return Response(status: ready ? .ok : .serviceUnavailable, body: Array((ready ? #"{"status":"UP"}"# : #"{"status":"DOWN"}"#).utf8))
        case .login(let request, let cors):
            return await login(request, cors: cors)
        case .call(let body, let context, let refused, let cors):
            let (reply, isRefused) = if let refused {
                (await dispatcher.handle(body, context: context), refused)
            } else {
                await dispatcher.handleCheckingPermissions(body, context: context)
            }
            return Response(status: isRefused ? .unauthorized : .ok, body: reply ?? [], headers: cors)
        }
    }

    /// 401 with Besu's `WWW-Authenticate` hint and the reason in one line.
    static func unauthorized(_ error: AuthError, cors: [(String, String)]) -> Response {
        let body = JSONWriter.encode(["message": .string("Unauthorized: \(error.description)")])
        return Response(status: .unauthorized, body: body, headers: cors + [("WWW-Authenticate", "Bearer")])
    }

    func originAllowed(_ origin: String) -> Bool {
        settings.corsOrigins.contains("*") || settings.corsOrigins.contains(origin)
    }
}

/// Counts open connections against a total limit and a limit per remote address. `@unchecked Sendable`: every
/// field is read and written under `lock`.
final class ConnectionCounter: @unchecked Sendable {
    private let lock = NIOLock()
    private var open = 0
    private var byAddress: [String: Int] = [:]

    func open(from address: String, limit: Int, perAddress: Int) -> Bool {
        lock.withLock {
            guard open < limit, byAddress[address, default: 0] < perAddress else { return false }
            open += 1
            byAddress[address, default: 0] += 1
            return true
        }
    }

    func close(from address: String) {
        lock.withLock {
            open -= 1
            let left = byAddress[address, default: 1] - 1
            byAddress[address] = left > 0 ? left : nil
        }
    }
}
