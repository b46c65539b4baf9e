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
    let host: String
    let port: Int
    let dispatcher: RPCDispatcher
    let hostAllowlist: [String]
    let logger: Logger
    /// Largest message accepted (frames are aggregated up to this).
    let maxMessageBytes = 5 * 1024 * 1024
    /// Open WebSocket connections beyond this are closed at once.
    let maxConnections = 1_024
    let connections = ConnectionCounter()
    /// `--rpc-ws-authentication-enabled`: the token comes with the upgrade request (`Authorization: Bearer …` or
    /// `?token=…`); without a valid one every call answers `-40100 Unauthorized`, as Besu does.
    let authentication: RPCAuthenticator?

    public var description: String { "RPCWebSocketServer(\(host):\(port))" }

    public init(host: String, port: Int, dispatcher: RPCDispatcher, hostAllowlist: [String], logger: Logger,
                authentication: RPCAuthenticator? = nil) {
        self.authentication = authentication
        self.host = host
        self.port = port
        self.dispatcher = dispatcher
        self.hostAllowlist = hostAllowlist
        self.logger = logger
    }

    public enum Upgrade: Sendable {
        /// An upgraded connection and the bearer token its upgrade request carried.
        case websocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, token: String?)
        case refused(NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>)
    }

    public func bind() async throws -> NIOAsyncChannel<EventLoopFuture<Upgrade>, Never> {
        let allowlist = hostAllowlist
        let maxMessageBytes = self.maxMessageBytes
        return try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrader = NIOTypedWebSocketServerUpgrader<Upgrade>(
                        maxFrameSize: maxMessageBytes,
                        shouldUpgrade: { channel, head in
                            let host = head.headers.first(name: "Host")
                            let allowed = allowlist.contains("*") || host.map { RPCWebSocketServer.hostAllowed($0, allowlist) } ?? false
                            return channel.eventLoop.makeSucceededFuture(allowed ? HTTPHeaders() : nil)
                        },
                        upgradePipelineHandler: { channel, head in
                            channel.eventLoop.makeCompletedFuture {
                                try channel.pipeline.syncOperations.addHandler(NIOWebSocketFrameAggregator(
                                    minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 1_024,
                                    maxAccumulatedFrameSize: maxMessageBytes))
                                return Upgrade.websocket(try NIOAsyncChannel(wrappingChannelSynchronously: channel),
                                                         token: RPCWebSocketServer.token(in: head))
                            }
                        })
                    return try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(
                        configuration: .init(upgradeConfiguration: NIOTypedHTTPServerUpgradeConfiguration(
                            upgraders: [upgrader],
                            notUpgradingCompletionHandler: { channel in
                                channel.eventLoop.makeCompletedFuture {
                                    Upgrade.refused(try NIOAsyncChannel(wrappingChannelSynchronously: channel))
                                }
                            })))
                }
            }
    }

    public func run() async throws {
        let server: NIOAsyncChannel<EventLoopFuture<Upgrade>, Never>
        do { server = try await bind() } catch {
            throw ListenError(endpoint: "JSON-RPC WebSocket", host: host, port: port, cause: error)
        }
        try await serve(server)
    }

    public func serve(_ server: NIOAsyncChannel<EventLoopFuture<Upgrade>, Never>) async throws {
        logger.info("JSON-RPC WebSocket on ws://\(host):\(server.channel.localAddress?.port ?? port)")
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { inbound in
                    for try await negotiation in inbound {
                        guard connections.open(from: "", limit: maxConnections, perAddress: .max) else {
                            _ = try? await negotiation.get()   // let NIO finish the handshake it started, then drop it
                            continue
                        }
                        group.addTask {
                            defer { connections.close(from: "") }
                            guard let upgrade = try? await negotiation.get() else { return }
                            switch upgrade {
                            case .websocket(let channel, let token):
                                try? await cancelWhenGracefulShutdown { try await session(channel, token: token) }
                            case .refused(let channel): try? await refuse(channel)
                            }
                        }
                    }
                }
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
        }
    }

    /// A plain HTTP request on the WebSocket port (or a refused upgrade): 400 with a hint.
    func refuse(_ channel: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async throws {
        try await channel.executeThenClose { inbound, outbound in
            for try await part in inbound {
                guard case .end = part else { continue }
                let body = ByteBuffer(string: #"{"message":"WebSocket upgrade required (or Host not authorized)"}"#)
                var headers = HTTPHeaders()
                headers.add(name: "Content-Length", value: String(body.readableBytes))
                headers.add(name: "Connection", value: "close")
                try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: .badRequest, headers: headers)))
                try await outbound.write(.body(.byteBuffer(body)))
                try await outbound.write(.end(nil))
                return
            }
        }
    }

    func session(_ channel: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, token: String?) async throws {
        let claims = authentication.map { auth in Result { () throws(AuthError) in try auth.authenticate(token: token) } }
        try await channel.executeThenClose { inbound, outbound in
            let connection = WebSocketConnection(outbound: outbound)
            defer { connection.closed() }
            for try await frame in inbound {
                switch frame.opcode {
                case .text, .binary:
                    let context = RPCCallContext(notifier: connection, permissions: permissions(claims))
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

    static func hostAllowed(_ host: String, _ allowlist: [String]) -> Bool {
        var name = Substring(host)
        if name.hasPrefix("[") { name = name.dropFirst().prefix { $0 != "]" } } else if let colon = name.lastIndex(of: ":") {
            name = name[..<colon]
        }
        return allowlist.contains { $0.lowercased() == name.lowercased() }
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
