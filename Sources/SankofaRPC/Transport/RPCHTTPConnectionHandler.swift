import NIOCore
import NIOHTTP1
import SankofaJSON

/// One connection of the JSON-RPC HTTP endpoint: frames the requests in the bytes received (`HTTPRequestParser`),
/// answers each at once when it needs no suspension or else on a task that runs on this connection's event loop,
/// and writes the answer as one buffer. The only handler in the connection's pipeline, and a channel handler rather
/// than an async sequence, because for a small call the sequence machinery, a timer per request, a pipeline hop per
/// HTTP part and the read pausing of NIO's pipelining helper (two `epoll_ctl` per request) cost more than the call.
///
/// The connection's deadlines (`HTTPConnectionTimeouts`) start with the first byte of a request, end when it is
/// whole, and idle time runs between requests.
///
/// HTTP/1.1 pipelining (RFC 9112 §9.3.2) is answered in order, one request at a time. Complete requests waiting for
/// their turn are bounded: past `holdReadsAt` the socket is not read until they drain, and a client that still
/// crowds `maxWaiting` into the reads already made (tiny requests, never reading the answers) is disconnected.
/// The next waiting request is not started while the socket is full, so a client that does not read its answers
/// cannot make the node build more of them.
final class RPCHTTPConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    static let holdReadsAt = 16
    static let maxWaiting = 1_024

    private let server: RPCHTTPServer
    private let client: String
    private let timeouts: HTTPConnectionTimeouts
    private let executor: EventLoopTaskExecutor
    private var parser: HTTPRequestParser
    /// Bytes received and not yet framed into a request.
    private var received = ByteBuffer()
    /// Complete requests not yet started, in arrival order.
    private var waiting = CircularBuffer<HTTPRequest>()
    /// Bytes that could not be framed: answered (and the connection closed) once the requests before them are.
    private var refusal: HTTPRequestError?
    /// A request asked for the connection to close after its answer: nothing after it is read (RFC 9112 §9.6).
    private var lastRequestRead = false
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
        self.parser = HTTPRequestParser(maxBodyBytes: server.settings.maxBodyBytes)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { timeouts.start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        timeouts.start(context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing, refusal == nil, !lastRequestRead else { return }
        var bytes = unwrapInboundIn(data)
        if timeouts.phase == .idle { timeouts.enter(.reading) }
        if received.readableBytes == 0 {
            received = bytes   // the usual case: requests are framed in the buffer as read, without a copy
        } else {
            received.writeBuffer(&bytes)
        }
        do {
            while let request = try parser.next(from: &received) {
                waiting.append(request)
                guard waiting.count <= Self.maxWaiting else {
                    closing = true
                    context.close(promise: nil)
                    return
                }
                if !request.keepAlive {
                    lastRequestRead = true
                    break
                }
            }
        } catch {
            refusal = error
        }
        if refusal != nil || lastRequestRead || received.readableBytes == 0 {
            received = ByteBuffer()
        } else if received.readerIndex > 16_384 {
            received.discardReadBytes()
        }
        answerNext(context: context)
    }

    /// Expect: 100-continue (RFC 9110 §10.1.1): the interim answer goes out once every earlier request is answered,
    /// so it never comes between other answers.
    private func continueIfExpected(context: ChannelHandlerContext) {
        guard parser.continueExpected, waiting.isEmpty, !answering, refusal == nil else { return }
        parser.continueExpected = false
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(staticString: "HTTP/1.1 100 Continue\r\n\r\n")), promise: nil)
    }

    func read(context: ChannelHandlerContext) {
        // Nothing after a refusal or a request that asked to close is read: it would only be dropped.
        if waiting.count >= Self.holdReadsAt || refusal != nil || lastRequestRead {
            readHeld = true
        } else {
            context.read()
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        proceed(context: context)
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timeouts.stop()
        closing = true
        waiting.removeAll()
        context.fireChannelInactive()
    }

    /// Once an answer has left and the socket can take more: the next waiting request; else the refusal of bytes
    /// that could not be framed, which closes the connection; else the clock of an idle (or partly received)
    /// connection, and the interim answer a request's `Expect: 100-continue` waits for. A socket that stays full
    /// keeps the connection `responding`, without deadline.
    private func proceed(context: ChannelHandlerContext) {
        guard !answering, !resumeScheduled, !closing, context.channel.isWritable else { return }
        if !waiting.isEmpty {
            answerNext(context: context)
        } else if let refusal {
            let body = JSONWriter.encode(["message": .string(refusal.message)])
            send(RPCHTTPServer.Response(status: refusal.status, body: body), version: .http1_1, keepAlive: false, context: context)
        } else {
            if timeouts.phase == .responding {
                timeouts.enter(parser.isInsideRequest || received.readableBytes > 0 ? .reading : .idle)
            }
            continueIfExpected(context: context)
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
            if readHeld, waiting.count < Self.holdReadsAt, refusal == nil, !lastRequestRead {
                readHeld = false
                context.read()
            }
            let route = server.route(request, client: client)
            if let response = server.immediateResponse(to: route) {
                send(response, version: request.version, keepAlive: request.keepAlive, flush: false, context: context)
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
                    bound.value.0.answered(response, to: request, context: bound.value.1)
                } else {
                    loop.execute { bound.value.0.answered(response, to: request, context: bound.value.1) }
                }
            }
            return
        }
        proceed(context: context)
    }

    private func answered(_ response: RPCHTTPServer.Response, to request: HTTPRequest, context: ChannelHandlerContext) {
        answering = false
        guard context.channel.isActive else { return }
        send(response, version: request.version, keepAlive: !closing && request.keepAlive, context: context)
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
