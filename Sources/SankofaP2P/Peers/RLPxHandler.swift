import NIOCore
import SankofaCrypto

/// Fired inbound once the RLPx handshake is done: the peer's node key is proven and frames flow.
public struct RLPxHandshakeCompleted: Sendable, Equatable {
    public let remoteKey: PublicKey
}

/// Why a connection was dropped before or while framing: the handshake took too long, or the peer's key is
/// not one we accept.
public enum RLPxConnectionError: Error, Equatable, Sendable, CustomStringConvertible {
    case handshakeTimeout(seconds: Int64)
    case remoteKeyRefused(PublicKey)
    case notEstablished

    public var description: String {
        switch self {
        case .handshakeTimeout(let seconds): "RLPx handshake did not complete within \(seconds) s"
        case .remoteKeyRefused(let key): "node \(key) is not allowed to connect (not on the allow-list)"
        case .notEstablished: "cannot send frames before the RLPx handshake completes"
        }
    }
}

/// The RLPx transport as a channel handler (devp2p rlpx.md): it runs the handshake, as initiator or as
/// responder, within a time limit, then turns TCP bytes into frame payloads and back.
///
/// Inbound: TCP bytes in, one `ByteBuffer` per frame payload out (plus an `RLPxHandshakeCompleted` user event).
/// Outbound: one `ByteBuffer` frame payload in, encrypted frame bytes out. Any handshake or frame error is
/// fired as an error and closes the connection: after a MAC failure the stream cannot be trusted.
public final class RLPxHandler: ChannelDuplexHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    /// Which side of the handshake we are.
    public enum Role: Sendable {
        /// We dialled `remoteKey`; the handshake fails unless the peer proves it.
        case initiator(remoteKey: PublicKey)
        /// We accepted the connection; `accept` decides on the initiator's key (an allow-list).
        case responder(accept: @Sendable (PublicKey) -> Bool)
    }

    private enum State {
        case idle
        case initiating(RLPxInitiator)
        case responding(RLPxResponder)
        case established(RLPxFrameCodec)
        case failed
    }

    private let staticKey: PrivateKey
    private let role: Role
    private let timeout: TimeAmount
    private let maxFrameSize: Int
    private var state = State.idle
    private var inbound = ByteBuffer()
    private var timer: Scheduled<Void>?
    /// Set once the buffered handshake bytes failed to open as a pre-EIP-8 packet, so that is not retried.
    private var legacyTried = false

    public init(staticKey: PrivateKey, role: Role, handshakeTimeout: TimeAmount = .seconds(5),
                maxFrameSize: Int = RLPxFrameCodec.defaultMaxFrameSize) {
        self.staticKey = staticKey
        self.role = role
        self.timeout = handshakeTimeout
        self.maxFrameSize = maxFrameSize
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    public func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
    }

    private func start(context: ChannelHandlerContext) {
        guard case .idle = state else { return }
        let seconds = timeout.nanoseconds / 1_000_000_000
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
            switch state {
            case .initiating, .responding, .idle: fail(context: context, RLPxConnectionError.handshakeTimeout(seconds: seconds))
            case .established, .failed: break
            }
        }
        do {
            switch role {
            case .initiator(let remoteKey):
                let initiator = try RLPxInitiator(staticKey: staticKey, remoteKey: remoteKey)
                state = .initiating(initiator)
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: initiator.authPacket)), promise: nil)
            case .responder:
                state = .responding(try RLPxResponder(staticKey: staticKey))
            }
        } catch {
            fail(context: context, error)
        }
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        inbound.writeBuffer(&bytes)
        do {
            try process(context: context)
        } catch {
            fail(context: context, error)
        }
    }

    private func process(context: ChannelHandlerContext) throws {
        switch state {
        case .idle, .failed:
            inbound.clear()
        case .initiating(let initiator):
            // Until the packet is complete; scan() bounds it by its size prefix (at most 2 + 65535 bytes).
            guard worthScanning(legacySize: AckMessage.legacyPlaintextSize + ECIES.overhead),
                  let (secrets, used) = try initiator.readAck(Array(inbound.readableBytesView)[...])
            else { return }
            inbound.moveReaderIndex(forwardBy: used)
            try establish(context: context, secrets: secrets)
            try process(context: context)
        case .responding(var responder):
            guard worthScanning(legacySize: AuthMessage.legacyPlaintextSize + ECIES.overhead),
                  let used = try responder.readAuth(Array(inbound.readableBytesView)[...])
            else { return }
            inbound.moveReaderIndex(forwardBy: used)
            guard let remoteKey = responder.remoteKey, case .responder(let accept) = role else { return }
            guard accept(remoteKey) else { throw RLPxConnectionError.remoteKeyRefused(remoteKey) }
            let ack = try responder.makeAck()
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: ack)), promise: nil)
            try establish(context: context, secrets: try responder.secrets())
            try process(context: context)
        case .established(let codec):
            while case .established = state, let frame = try codec.readFrame(from: &inbound) {
                context.fireChannelRead(wrapInboundOut(frame))
            }
            inbound.discardReadBytes()
        }
    }

    /// Whether the buffered bytes could complete a handshake packet now; remembers a failed legacy attempt.
    private func worthScanning(legacySize: Int) -> Bool {
        guard let first = inbound.getInteger(at: inbound.readerIndex, as: UInt8.self),
              let second = inbound.getInteger(at: inbound.readerIndex + 1, as: UInt8.self)
        else { return false }
        let worth = HandshakePacket.worthScanning(count: inbound.readableBytes, first: first, second: second,
                                                  legacySize: legacySize, legacyTried: legacyTried)
        // A scan that returns "need more" past the legacy size has just ruled the legacy form out.
        if worth && first == 0x04 && inbound.readableBytes >= legacySize { legacyTried = true }
        return worth
    }

    private func establish(context: ChannelHandlerContext, secrets: RLPxSecrets) throws {
        timer?.cancel()
        timer = nil
        state = .established(try RLPxFrameCodec(secrets: secrets, maxFrameSize: maxFrameSize))
        context.fireUserInboundEventTriggered(RLPxHandshakeCompleted(remoteKey: secrets.remoteKey))
    }

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .established(let codec) = state else {
            promise?.fail(RLPxConnectionError.notEstablished)
            return
        }
        let payload = unwrapOutboundIn(data)
        var out = context.channel.allocator.buffer(capacity: RLPxFrameCodec.wireSize(ofFrame: payload.readableBytes))
        do {
            try payload.withUnsafeReadableBytes { raw in try codec.writeFrame(raw, to: &out) }
        } catch {
            // Only an oversized payload gets here, refused before any cipher state moved: the connection is fine.
            promise?.fail(error)
            return
        }
        context.write(wrapOutboundOut(out), promise: promise)
    }

    private func fail(context: ChannelHandlerContext, _ error: Error) {
        if case .failed = state { return }
        state = .failed
        timer?.cancel()
        timer = nil
        inbound.clear()
        context.fireErrorCaught(error)
        context.close(promise: nil)
    }
}
