import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import SankofaJSON
import ServiceLifecycle

/// JSON-RPC over WebSocket (`--rpc-ws-enabled`, port 8546): one JSON-RPC message or batch per text frame, the same
/// method table as HTTP, plus subscriptions pushed as `eth_subscription` notifications.
public struct RPCWebSocketServer: Service, CustomStringConvertible {
    let settings: RPCWebSocketSettings
    let dispatcher: RPCDispatcher
    let logger: Logger
    let connections = ConnectionCounter()
    var authentication: RPCAuthenticator? { settings.authentication }

    public var description: String { "RPCWebSocketServer(\(settings.host):\(settings.port))" }

    public init(settings: RPCWebSocketSettings, dispatcher: RPCDispatcher, logger: Logger) {
        self.settings = settings
        self.dispatcher = dispatcher
        self.logger = logger
    }

    public enum Upgrade: Sendable {
        /// An upgraded connection, the bearer token its upgrade request carried and the client's address.
        case websocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, token: String?, client: String)
        /// A plain HTTP request, a disallowed Host, or a client over `--rpc-ws-max-active-connections` (`busy`).
        case refused(NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, busy: Bool)
    }

    public func bind() async throws -> NIOAsyncChannel<EventLoopFuture<Upgrade>, Never> {
        let settings = self.settings
        let connections = self.connections
        return try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.writeBufferWaterMark,
                                value: .init(low: settings.maxOutboundBytes / 2, high: settings.maxOutboundBytes))
            .bind(host: settings.host, port: settings.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    // A slot is taken per socket before the handshake and given back when it closes; the accept
                    // loop never waits on a handshake, so one silent socket cannot hold up the clients behind it.
                    let admitted = connections.open(from: "", limit: settings.maxConnections, perAddress: .max)
                    let handshake = channel.eventLoop.scheduleTask(in: settings.handshakeTimeout) { channel.close(promise: nil) }
                    channel.closeFuture.whenComplete { _ in
                        handshake.cancel()
                        if admitted { connections.close(from: "") }
                    }
                    try channel.pipeline.syncOperations.addHandler(OutboundBufferGuard())
                    let upgrader = NIOTypedWebSocketServerUpgrader<Upgrade>(
                        maxFrameSize: settings.maxFrameSize,
                        shouldUpgrade: { channel, head in
                            let allowed = settings.hostAllowlist.allows(head.headers.first(name: "Host"))
                            return channel.eventLoop.makeSucceededFuture(admitted && allowed ? HTTPHeaders() : nil)
                        },
                        upgradePipelineHandler: { channel, head in
                            channel.eventLoop.makeCompletedFuture {
                                handshake.cancel()
                                let pipeline = channel.pipeline.syncOperations
                                try pipeline.addHandler(MaskedFramesOnly())
                                try pipeline.addHandler(WebSocketKeepalive(idle: settings.idleTimeout))
                                try pipeline.addHandler(NIOWebSocketFrameAggregator(
                                    minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 1_024,
                                    maxAccumulatedFrameSize: settings.maxFrameSize))
                                return Upgrade.websocket(try NIOAsyncChannel(wrappingChannelSynchronously: channel),
                                                         token: RPCWebSocketServer.token(in: head),
                                                         client: channel.remoteAddress?.ipAddress ?? "unknown")
                            }
                        })
                    return try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(
                        configuration: .init(upgradeConfiguration: NIOTypedHTTPServerUpgradeConfiguration(
                            upgraders: [upgrader],
                            notUpgradingCompletionHandler: { channel in
                                channel.eventLoop.makeCompletedFuture {
                                    Upgrade.refused(try NIOAsyncChannel(wrappingChannelSynchronously: channel), busy: !admitted)
                                }
                            })))
                }
            }
    }

    public func run() async throws {
        let server: NIOAsyncChannel<EventLoopFuture<Upgrade>, Never>
        do { server = try await bind() } catch {
            throw ListenError(endpoint: "JSON-RPC WebSocket", host: settings.host, port: settings.port, cause: error)
        }
        try await serve(server)
    }

    public func serve(_ server: NIOAsyncChannel<EventLoopFuture<Upgrade>, Never>) async throws {
        logger.info("JSON-RPC WebSocket on ws://\(settings.host):\(server.channel.localAddress?.port ?? settings.port)")
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { inbound in
                    for try await negotiation in inbound {
                        group.addTask {
                            guard let upgrade = try? await negotiation.get() else { return }
                            switch upgrade {
                            case .websocket(let channel, let token, let client):
                                try? await cancelWhenGracefulShutdown { try await session(channel, token: token, client: client) }
                            case .refused(let channel, let busy): try? await refuse(channel, busy: busy)
                            }
                        }
                    }
                }
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
        }
    }

    /// A plain HTTP request on the WebSocket port (or a refused upgrade): 400 with a hint; a client over the
    /// connection cap: 503 with a JSON-RPC `-32005` error, instead of a 101 and a connection that never answers.
    func refuse(_ channel: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, busy: Bool) async throws {
        try await channel.executeThenClose { inbound, outbound in
            for try await part in inbound {
                guard case .end = part else { continue }
                let body = busy
                    ? ByteBuffer(bytes: JSONWriter.encode(RPCDispatcher.response(id: .null, error: .limitExceeded(
                        "too many WebSocket connections (at most \(settings.maxConnections), --rpc-ws-max-active-connections); retry later"))))
                    : ByteBuffer(string: #"{"message":"WebSocket upgrade required (or Host not authorized)"}"#)
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: "application/json")
                headers.add(name: "Content-Length", value: String(body.readableBytes))
                headers.add(name: "Connection", value: "close")
                if busy { headers.add(name: "Retry-After", value: "1") }
                let status: HTTPResponseStatus = busy ? .serviceUnavailable : .badRequest
                try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers)))
                try await outbound.write(.body(.byteBuffer(body)))
                try await outbound.write(.end(nil))
                return
            }
        }
    }

    func session(_ channel: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, token: String?, client: String) async throws {
        let claims = authentication.map { auth in Result { () throws(AuthError) in try auth.authenticate(token: token) } }
        try await channel.executeThenClose { inbound, outbound in
            let connection = WebSocketConnection(outbound: outbound)
            defer { connection.closed() }
            for try await frame in inbound {
                switch frame.opcode {
                case .text, .binary:
                    let context = RPCCallContext(notifier: connection, permissions: permissions(claims), client: client)
                    var data = frame.unmaskedData
                    let bytes = data.readBytes(length: data.readableBytes) ?? []
                    let ticket = connection.beginRequest()
                    if let reply = await dispatcher.handle(bytes, context: context) { _ = await connection.sendRaw(reply) }
                    connection.replied(ticket)
                case .ping:
                    _ = await connection.sendFrame(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData))
                case .connectionClose:
                    _ = await connection.sendFrame(WebSocketFrame(fin: true, opcode: .connectionClose, data: ByteBuffer()))
                    return
                default:
                    continue
                }
            }
        }
    }

    /// What the session may call now: everything without auth; nothing without a valid token or once it expired.
    func permissions(_ claims: Result<JWTClaims, AuthError>?) -> RPCPermissions? {
        guard let claims, let auth = authentication else { return nil }
        guard case .success(let valid) = claims, auth.clock() < valid.expiresAt else { return .nothing }
        return valid.permissions
    }

    /// The bearer token of an upgrade request: the `Authorization` header, else a `token` query parameter.
    static func token(in head: HTTPRequestHead) -> String? {
        if let bearer = RPCAuthenticator.bearerToken(head.headers.first(name: "Authorization")) { return bearer }
        guard let query = head.uri.split(separator: "?", maxSplits: 1).dropFirst().first else { return nil }
        for pair in query.split(separator: "&") where pair.hasPrefix("token=") {
            return String(pair.dropFirst(6))
        }
        return nil
    }
}

/// One WebSocket client: writes replies and notifications, and runs close hooks when it goes away.
final class WebSocketConnection: RPCNotifier, @unchecked Sendable {
    let outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>
    private let lock = NIOLock()
    private var isOpen = true
    private var closeActions: [@Sendable () -> Void] = []
    /// Requests are handled one at a time per connection; `current` is the one in flight, `replied` the last answered.
    private var current: UInt64 = 0
    private var repliedThrough: UInt64 = 0
    private var waiters: [(UInt64, CheckedContinuation<Void, Never>)] = []

    init(outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>) { self.outbound = outbound }

    func send(_ message: JSON) async -> Bool { await sendRaw(JSONWriter.encode(message)) }

    func sendRaw(_ bytes: [UInt8]) async -> Bool {
        await sendFrame(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(bytes: bytes)))
    }

    func sendFrame(_ frame: WebSocketFrame) async -> Bool {
        guard lock.withLock({ isOpen }) else { return false }
        // NIO's outbound writer accepts writes from concurrent tasks; each frame is a whole message.
        do {
            try await outbound.write(frame)
            return true
        } catch {
            return false
        }
    }

    func beginRequest() -> UInt64 { lock.withLock { current += 1; return current } }

    func replied(_ ticket: UInt64) {
        let ready = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            repliedThrough = max(repliedThrough, ticket)
            let (done, waiting) = (waiters.filter { $0.0 <= repliedThrough }, waiters.filter { $0.0 > repliedThrough })
            waiters = waiting
            return done.map(\.1)
        }
        for continuation in ready { continuation.resume() }
    }

    func replyTicket() -> UInt64 { lock.withLock { current } }

    func waitForReply(_ ticket: UInt64) async {
        await withCheckedContinuation { continuation in
            let now = lock.withLock { () -> Bool in
                if !isOpen || repliedThrough >= ticket { return true }
                waiters.append((ticket, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }

    func onClose(_ action: @escaping @Sendable () -> Void) {
        let runNow = lock.withLock { () -> Bool in
            guard isOpen else { return true }
            closeActions.append(action)
            return false
        }
        if runNow { action() }
    }

    func closed() {
        let (actions, pending) = lock.withLock { () -> ([@Sendable () -> Void], [CheckedContinuation<Void, Never>]) in
            isOpen = false
            defer {
                closeActions.removeAll()
                waiters.removeAll()
            }
            return (closeActions, waiters.map(\.1))
        }
        for continuation in pending { continuation.resume() }
        for action in actions { action() }
    }
}
