import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import SankofaJSON

/// Why a call to the node failed: the connection, or the node's JSON-RPC error.
public struct RPCClientError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A JSON-RPC client over one WebSocket connection (NIO's typed client upgrade): calls matched to replies by id,
/// and `eth_subscription` notifications turned into wake-ups. Closed for good once the connection drops; the
/// watcher makes a new one (and backfills).
public final class WebSocketRPCClient: @unchecked Sendable {
    enum Upgrade {
        case websocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>)
        case refused
    }

    let channel: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>
    private let lock = NIOLock()
    private var nextID = 1
    private var waiting: [Int: CheckedContinuation<JSON, any Error>] = [:]
    private var closed = false
    private var writer: NIOAsyncChannelOutboundWriter<WebSocketFrame>?
    /// One pending wake-up at most: notifications only say "look again", so coalescing loses nothing.
    public let notifications: AsyncStream<Void>
    private let notify: AsyncStream<Void>.Continuation
    private var reader: Task<Void, Never>?

    private init(channel: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>) {
        self.channel = channel
        (notifications, notify) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Connects to `ws://host:port/path` and completes the upgrade, or throws.
    public static func connect(host: String, port: Int, path: String = "/", token: String? = nil) async throws -> WebSocketRPCClient {
        let negotiation: EventLoopFuture<Upgrade> = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrader = NIOTypedWebSocketClientUpgrader<Upgrade>(maxFrameSize: 16 * 1024 * 1024) { channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(NIOWebSocketFrameAggregator(
                                minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 4_096,
                                maxAccumulatedFrameSize: 64 * 1024 * 1024))
                            return Upgrade.websocket(try NIOAsyncChannel(wrappingChannelSynchronously: channel))
                        }
                    }
                    var headers = HTTPHeaders()
                    headers.add(name: "Host", value: "\(host):\(port)")
                    headers.add(name: "Content-Length", value: "0")
                    if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
                    let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
                    let configuration = NIOTypedHTTPClientUpgradeConfiguration<Upgrade>(
                        upgradeRequestHead: head, upgraders: [upgrader],
                        notUpgradingCompletionHandler: { channel in channel.eventLoop.makeCompletedFuture { Upgrade.refused } })
                    return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(
                        configuration: .init(upgradeConfiguration: configuration))
                }
            }
        guard case .websocket(let channel) = try await negotiation.get() else {
            throw RPCClientError("ws://\(host):\(port) refused the WebSocket upgrade")
        }
        let client = WebSocketRPCClient(channel: channel)
        await client.start()
        return client
    }

    /// Starts reading replies; returns once the writer is available, so calls can be sent at once.
    private func start() async {
        let (ready, readyContinuation) = AsyncStream.makeStream(of: Void.self)
        reader = Task { [self] in
            do {
                try await channel.executeThenClose { inbound, outbound in
                    lock.withLock { writer = outbound }
                    readyContinuation.finish()
                    for try await frame in inbound {
                        switch frame.opcode {
                        case .text, .binary:
                            var data = frame.unmaskedData
                            guard let bytes = data.readBytes(length: data.readableBytes),
                                  let message = try? JSONParser.parse(bytes) else { continue }
                            deliver(message)
                        case .connectionClose:
                            return
                        case .ping:
                            try? await outbound.write(WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData))
                        default:
                            continue
                        }
                    }
                }
            } catch {}
            readyContinuation.finish()
            shutDown()
        }
        for await _ in ready {}
    }

    private func deliver(_ message: JSON) {
        if let id = message["id"]?.intValue {
            let continuation = lock.withLock { waiting.removeValue(forKey: id) }
            if let error = message["error"] {
                continuation?.resume(throwing: RPCClientError("node answered \(JSONWriter.string(error))"))
            } else {
                continuation?.resume(returning: message["result"] ?? .null)
            }
        } else if message["method"]?.stringValue == "eth_subscription" {
            notify.yield()
        }
    }

    private func shutDown() {
        let pending = lock.withLock { () -> [CheckedContinuation<JSON, any Error>] in
            closed = true
            defer { waiting.removeAll() }
            return Array(waiting.values)
        }
        for continuation in pending { continuation.resume(throwing: RPCClientError("connection to the node closed")) }
        notify.finish()
    }

    /// Wakes the watcher as a notification would (the poll timer).
    public func wake() { notify.yield() }

    /// Whether the connection has closed (the watcher then reconnects).
    public var isClosed: Bool { lock.withLock { closed } }

    /// Sends one call and waits (at most `timeout`) for its result.
    public func call(_ method: String, _ params: [JSON], timeout: Duration = .seconds(10)) async throws -> JSON {
        let (id, outbound) = lock.withLock { () -> (Int, NIOAsyncChannelOutboundWriter<WebSocketFrame>?) in
            defer { nextID += 1 }
            return (nextID, closed ? nil : writer)
        }
        guard let outbound else { throw RPCClientError("connection to the node closed") }
        let request: JSON = .object(JSONObject([("jsonrpc", "2.0"), ("id", .number(JSONNumber(id))),
                                                ("method", .string(method)), ("params", .array(params))]))
        let timer = Task { [weak self] in
            try await Task.sleep(for: timeout)
            let continuation = self?.lock.withLock { self?.waiting.removeValue(forKey: id) }
            continuation?.resume(throwing: RPCClientError("\(method) got no answer within \(timeout)"))
        }
        defer { timer.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            let accepted = lock.withLock { () -> Bool in
                guard !closed else { return false }
                waiting[id] = continuation
                return true
            }
            guard accepted else {
                continuation.resume(throwing: RPCClientError("connection to the node closed"))
                return
            }
            Task {
                do {
                    try await outbound.write(WebSocketFrame(fin: true, opcode: .text, maskKey: .random(),
                                                            data: ByteBuffer(bytes: JSONWriter.encode(request))))
                } catch {
                    let waiter = lock.withLock { waiting.removeValue(forKey: id) }
                    waiter?.resume(throwing: RPCClientError("could not send \(method): \(error)"))
                }
            }
        }
    }

    /// Closes the connection.
    public func close() async {
        try? await channel.channel.close()
        _ = await reader?.value
    }
}
