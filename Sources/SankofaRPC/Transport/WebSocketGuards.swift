import NIOCore
import NIOWebSocket

/// The WebSocket endpoint's settings (Besu's flag names where Besu has the setting).
public struct RPCWebSocketSettings: Sendable {
    public var host = "127.0.0.1"
    public var port = 8546
    /// `--host-allowlist`: values of the upgrade request's Host header that may connect.
    public var hostAllowlist: HostAllowlist = ["localhost", "127.0.0.1"]
    /// Besu's `--rpc-ws-max-active-connections` (Sankofa's default 1,024 rather than Besu's 80): a client over it is
    /// refused with 503 and a JSON-RPC `-32005` body before any 101.
    public var maxConnections = 1_024
    /// Besu's `--rpc-ws-max-frame-size`: the largest message, frames aggregated up to it (Besu's default is 1 MiB;
    /// Sankofa's is the HTTP body limit, 5 MiB, so a batch that fits one transport fits the other).
    public var maxFrameSize = 5 * 1024 * 1024
    /// `--rpc-ws-handshake-timeout`: the upgrade request must arrive within this of the connection opening, so a
    /// silent socket cannot hold a connection slot.
    public var handshakeTimeout: TimeAmount = .seconds(10)
    /// `--rpc-ws-idle-timeout`: a connection that sends nothing for this long is closed. The server pings every
    /// half of it, and every RFC 6455 client answers a ping with a pong (§5.5.2), so only dead peers time out.
    public var idleTimeout: TimeAmount = .seconds(60)
    /// `--rpc-ws-max-outbound-buffer`: bytes queued for a client but not yet taken by its socket. A client that
    /// stops reading (while subscribed, or while pipelining calls) is closed when its queue passes this, which
    /// also ends its subscriptions; larger than `--rpc-max-response-size`, so any permitted answer fits.
    public var maxOutboundBytes = 32 * 1024 * 1024
    /// `--rpc-ws-authentication-enabled`: the token comes with the upgrade request (`Authorization: Bearer …` or
    /// `?token=…`); without a valid one every call answers `-40100 Unauthorized`, as Besu does.
    public var authentication: RPCAuthenticator?

    public init() {}
}

/// Closes a connection whose queued outbound bytes pass the channel's high water mark (set to
/// `maxOutboundBytes`): NIO turns a channel unwritable exactly then, so a client that stops reading costs at most
/// that much memory and then its connection and subscriptions. First in the pipeline.
final class OutboundBufferGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if !context.channel.isWritable { context.close(promise: nil) }
        context.fireChannelWritabilityChanged()
    }
}

/// RFC 6455 §5.1: "a server MUST close the connection upon receiving a frame that is not masked", with status
/// 1002 (protocol error, §7.4.1). Sits right after the frame decoder.
final class MaskedFramesOnly: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame
    private var closing = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        guard unwrapInboundIn(data).maskKey == nil else { return context.fireChannelRead(data) }
        closing = true
        var code = context.channel.allocator.buffer(capacity: 2)
        code.write(webSocketErrorCode: .protocolError)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: code)))
            .whenComplete { _ in channel.close(promise: nil) }
    }
}

/// Pings the client every half `idle` and closes the connection when nothing (no frame, not even a pong) has
/// arrived for `idle` (RFC 6455 §5.5.2: a ping must be answered with a pong).
final class WebSocketKeepalive: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame
    let idle: TimeAmount
    private var lastHeard = NIODeadline.now()
    private var timer: RepeatedTask?

    init(idle: TimeAmount) { self.idle = idle }

    func handlerAdded(context: ChannelHandlerContext) {
        lastHeard = .now()
        let interval = TimeAmount.nanoseconds(max(idle.nanoseconds / 2, 1_000_000))
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            bound.value.0.tick(bound.value.1)
        }
    }

    func tick(_ context: ChannelHandlerContext) {
        guard NIODeadline.now() - lastHeard < idle else { return context.close(promise: nil) }
        let ping = WebSocketFrame(fin: true, opcode: .ping, data: context.channel.allocator.buffer(capacity: 0))
        context.writeAndFlush(wrapOutboundOut(ping), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastHeard = .now()
        context.fireChannelRead(data)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }
}
