import NIOCore
import NIOHTTP1

/// One connection of the JSON-RPC HTTP endpoint: collects each request, answers it at once when it needs no
/// suspension or else on a task that runs on this connection's event loop, and writes the answer as one buffer.
/// A channel handler rather than an async sequence, because for a small call the sequence machinery, a timer per
/// request and the read pausing of NIO's pipelining helper (two `epoll_ctl` per request) cost several times the
/// call itself.
///
/// HTTP/1.1 pipelining (RFC 9112 §9.3.2) is answered in order, one request at a time. Complete requests waiting for
/// their turn are bounded: past `holdReadsAt` the socket is not read until they drain, and a client that still
/// crowds `maxWaiting` into the reads already made (tiny requests, never reading the answers) is disconnected.
/// The next waiting request is not started while the socket is full, so a client that does not read its answers
/// cannot make the node build more of them.
final class RPCHTTPConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    struct Request: Sendable {
        var head: HTTPRequestHead
        var body: ByteBuffer
        var tooLarge = false
    }

    static let holdReadsAt = 16
    static let maxWaiting = 1_024

    private let server: RPCHTTPServer
    private let client: String
    private let timeouts: HTTPConnectionTimeouts
    private let executor: EventLoopTaskExecutor
    /// The request whose parts are arriving.
    private var reading: Request?
    /// Complete requests not yet started, in arrival order.
    private var waiting = CircularBuffer<Request>()
    private var answering = false
    /// The rest of a burst of immediate answers waits for the event loop's next turn.
    private var resumeScheduled = false
    private var readHeld = false
    private var closing = false

    init(server: RPCHTTPServer, client: String, timeouts: HTTPConnectionTimeouts, loop: any EventLoop) {
        self.server = server
        self.client = client
        self.timeouts = timeouts
        self.executor = EventLoopTaskExecutor(loop)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            reading = Request(head: head, body: ByteBuffer())
            // A request that follows one answered at once in the same read starts its clock here.
            if timeouts.phase == .idle { timeouts.enter(.reading) }
        case .body(var chunk):
            guard reading != nil else { return }
            if reading!.tooLarge || reading!.body.readableBytes + chunk.readableBytes > server.settings.maxBodyBytes {
                reading!.tooLarge = true
                reading!.body = ByteBuffer()
            } else if reading!.body.readableBytes == 0 {
                reading!.body = chunk   // the usual single chunk: no copy
            } else {
                reading!.body.writeBuffer(&chunk)
            }
        case .end:
            guard let request = reading else { return }
            reading = nil
            waiting.append(request)
            guard waiting.count <= Self.maxWaiting else {
                closing = true
                context.close(promise: nil)
                return
            }
            answerNext(context: context)
        }
    }

    func read(context: ChannelHandlerContext) {
        if waiting.count >= Self.holdReadsAt {
            readHeld = true
        } else {
            context.read()
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        proceed(context: context)
        context.fireChannelWritabilityChanged()
    }

    /// A request the HTTP parser refused gets 400 and the connection is closed (its framing is lost), as NIO's
    /// protocol error handler does; a request already being answered finishes first.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        let answeredLast = closing   // bytes after a request that asked to close: nothing more to say
        closing = true
        waiting.removeAll()
        reading = nil
        if !answering, !answeredLast {
            send(RPCHTTPServer.Response(status: .badRequest, body: []), version: .http1_1, keepAlive: false, context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closing = true
        waiting.removeAll()
        context.fireChannelInactive()
    }

    /// Once an answer has left and the socket can take more: the next waiting request, or the clock of an idle (or
    /// partly received) connection. A socket that stays full keeps the connection `responding`, without deadline.
    private func proceed(context: ChannelHandlerContext) {
        guard !answering, !resumeScheduled, !closing, context.channel.isWritable, timeouts.phase == .responding else { return }
        if waiting.isEmpty {
            timeouts.enter(reading == nil ? .idle : .reading)
        } else {
            answerNext(context: context)
        }
    }

    /// Answers written at once in one pass, flushed together, before the loop serves other connections: a client
    /// pipelining thousands of immediate calls per read gets them in bursts, not the event loop for milliseconds.
    static let immediateBurst = 32

    /// Answers waiting requests in order: at once while they need no suspension (refused requests, health checks,
    /// `eth_blockNumber` and the other immediate methods), then the first that does on a task, which comes back
    /// through `answered`.
    private func answerNext(context: ChannelHandlerContext) {
        var written = 0
        defer { if written > 0 { context.flush() } }
        let loop = context.eventLoop
        while !answering, !resumeScheduled, !closing, context.channel.isWritable, let request = waiting.popFirst() {
            timeouts.enter(.responding)
            if readHeld, waiting.count < Self.holdReadsAt {
                readHeld = false
                context.read()
            }
            let route = server.route(request.head, body: request.body, tooLarge: request.tooLarge, client: client)
            if let response = server.immediateResponse(to: route) {
                send(response, version: request.head.version, keepAlive: request.head.isKeepAlive, flush: false, context: context)
                written += 1
                if written == Self.immediateBurst, !waiting.isEmpty {
                    resumeScheduled = true
                    let bound = NIOLoopBound((self, context), eventLoop: loop)
                    loop.execute {
                        bound.value.0.resumeScheduled = false
                        bound.value.0.answerNext(context: bound.value.1)
                    }
                    return
                }
                continue
            }
            answering = true
            let bound = NIOLoopBound((self, context), eventLoop: loop)
            let server = server
            // The task prefers this connection's event loop, so a small call runs here from parse to write without a
            // thread hop; heavy calls move themselves to `HeavyCallExecutor`.
            Task(executorPreference: executor) {
                let response = await server.response(to: route)
                if loop.inEventLoop {
                    bound.value.0.answered(response, to: request.head, context: bound.value.1)
                } else {
                    loop.execute { bound.value.0.answered(response, to: request.head, context: bound.value.1) }
                }
            }
            return
        }
        proceed(context: context)
    }

    private func answered(_ response: RPCHTTPServer.Response, to head: HTTPRequestHead, context: ChannelHandlerContext) {
        answering = false
        guard context.channel.isActive else { return }
        send(response, version: head.version, keepAlive: !closing && head.isKeepAlive, context: context)
        proceed(context: context)
    }

    private func send(_ response: RPCHTTPServer.Response, version: HTTPVersion, keepAlive: Bool, flush: Bool = true,
                      context: ChannelHandlerContext) {
        let bytes = response.encoded(version: version, keepAlive: keepAlive, allocator: context.channel.allocator)
        guard keepAlive else {
            // Closed once the last byte is written, not when the response is handed over: closing fails the writes
            // the channel still holds, which cut responses larger than the socket buffers short (RFC 9112 §9.6).
            closing = true
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(bytes)).whenComplete { _ in channel.close(promise: nil) }
            return
        }
        if flush {
            context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
        } else {
            context.write(wrapOutboundOut(bytes), promise: nil)
        }
    }
}
