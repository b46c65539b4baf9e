import NIOCore
import NIOHTTP1

/// Deadlines of one HTTP connection, so idle and slow clients cannot hold connection slots forever (geth's
/// `IdleTimeout` and `ReadTimeout`): a connection with no request under way is closed after `idle`; a request must
/// arrive whole, headers and body, within `request` of its first byte. While the node works on a request and
/// writes the response, no deadline runs. Lives on the connection's event loop, shared by its two watchers.
final class HTTPConnectionTimeouts {
    enum Phase { case idle, reading, responding }

    let idle: TimeAmount
    let request: TimeAmount
    private(set) var phase = Phase.idle
    private var deadline: Scheduled<Void>?

    init(idle: TimeAmount, request: TimeAmount) {
        self.idle = idle
        self.request = request
    }

    func enter(_ next: Phase, channel: any Channel) {
        phase = next
        deadline?.cancel()
        deadline = nil
        let limit: TimeAmount
        switch next {
        case .idle: limit = idle
        case .reading: limit = request
        case .responding: return
        }
        deadline = channel.eventLoop.scheduleTask(in: limit) { channel.close(promise: nil) }
    }

    func stop() {
        deadline?.cancel()
        deadline = nil
    }

    /// First in the pipeline: sees raw bytes, so a request's clock starts with its first byte (a slowloris client
    /// dribbling headers is bounded by `request`, not `idle`).
    final class ByteWatcher: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        let timeouts: HTTPConnectionTimeouts

        init(_ timeouts: HTTPConnectionTimeouts) { self.timeouts = timeouts }

        func handlerAdded(context: ChannelHandlerContext) {
            if context.channel.isActive { timeouts.enter(.idle, channel: context.channel) }
        }

        func channelActive(context: ChannelHandlerContext) {
            timeouts.enter(.idle, channel: context.channel)
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if timeouts.phase == .idle { timeouts.enter(.reading, channel: context.channel) }
            context.fireChannelRead(data)
        }

        func channelInactive(context: ChannelHandlerContext) {
            timeouts.stop()
            context.fireChannelInactive()
        }
    }

    /// After the HTTP codec: a complete request stops the clock; a response written in full restarts the idle one.
    final class MessageWatcher: ChannelDuplexHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias InboundOut = HTTPServerRequestPart
        typealias OutboundIn = HTTPServerResponsePart
        typealias OutboundOut = HTTPServerResponsePart
        let timeouts: HTTPConnectionTimeouts

        init(_ timeouts: HTTPConnectionTimeouts) { self.timeouts = timeouts }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head where timeouts.phase == .idle: timeouts.enter(.reading, channel: context.channel)
            case .end: timeouts.enter(.responding, channel: context.channel)
            default: break
            }
            context.fireChannelRead(data)
        }

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            guard case .end = unwrapOutboundIn(data) else {
                context.write(data, promise: promise)
                return
            }
            let written = promise ?? context.eventLoop.makePromise()
            let channel = context.channel
            let timeouts = NIOLoopBound(timeouts, eventLoop: context.eventLoop)
            written.futureResult.whenSuccess {
                // A pipelined request may already be under way; only a connection with nothing to do goes idle.
                if timeouts.value.phase == .responding { timeouts.value.enter(.idle, channel: channel) }
            }
            context.write(data, promise: written)
        }
    }
}
