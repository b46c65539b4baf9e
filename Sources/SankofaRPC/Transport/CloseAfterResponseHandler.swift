import NIOCore
import NIOHTTP1

/// Closes an HTTP connection once a `Connection: close` response has been written in full, not when it was
/// merely handed to the channel: closing a channel fails the writes it still holds, which cut responses larger than
/// the socket buffers (about 4 MB on Linux) short for HTTP/1.0 clients and clients that sent `Connection: close`
/// (RFC 9112 §9.6: the server closes after sending the response).
final class CloseAfterResponseHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Whether the response being written announced `Connection: close`.
    private var closeAfterEnd = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            closeAfterEnd = head.headers[canonicalForm: "connection"].contains { $0.lowercased() == "close" }
        case .end where closeAfterEnd:
            closeAfterEnd = false
            let written = promise ?? context.eventLoop.makePromise()
            let channel = context.channel
            // Writes complete in order, so the end's completion means every byte of the response left the channel.
            written.futureResult.whenComplete { _ in channel.close(promise: nil) }
            context.write(data, promise: written)
            return
        default:
            break
        }
        context.write(data, promise: promise)
    }
}
