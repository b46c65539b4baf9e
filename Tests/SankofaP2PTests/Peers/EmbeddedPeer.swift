import NIOCore
import NIOEmbedded
import SankofaCrypto
import SankofaPrimitives
@testable import SankofaP2P

/// The far side of an `EmbeddedChannel` running our handlers as the responder: it does the handshake with our
/// own `RLPxInitiator`, then writes frames (well-formed or deliberately broken) and reads what comes back.
final class EmbeddedPeer {
    let channel = EmbeddedChannel()
    let nodeKey: PrivateKey
    let key: PrivateKey
    private(set) var codec: RLPxFrameCodec?
    var messages = MessageCodec(compression: false)
    /// Errors the pipeline fired (the channel rethrows them from writeInbound).
    private(set) var errors: [Error] = []

    static let eth68 = SubProtocolDescriptor(name: "eth", version: 68, messageCount: 17)

    /// `selfConnect` makes the remote use our own node key, as when a node dials its own address.
    init(session: Bool = true, maxFrameSize: Int = RLPxFrameCodec.defaultMaxFrameSize,
         protocols: [any SubProtocol] = [EmbeddedPeer.eth68], pingInterval: TimeAmount = .seconds(15),
         selfConnect: Bool = false) throws {
        nodeKey = try PrivateKey.generate()
        key = selfConnect ? nodeKey : try PrivateKey.generate()
        try channel.pipeline.syncOperations.addHandler(
            RLPxHandler(staticKey: nodeKey, role: .responder(accept: { _ in true }), maxFrameSize: maxFrameSize))
        if session {
            try channel.pipeline.syncOperations.addHandler(P2PSessionHandler(
                configuration: .init(nodeKey: nodeKey.publicKey, protocols: protocols, pingInterval: pingInterval)))
        }
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 30303)).wait()
    }

    /// Runs the handshake; returns false if the handler refused it.
    @discardableResult
    func handshake() throws -> Bool {
        let initiator = try RLPxInitiator(staticKey: key, remoteKey: nodeKey.publicKey)
        feed(initiator.authPacket)
        guard let ack = try channel.readOutbound(as: ByteBuffer.self),
              let (secrets, _) = try initiator.readAck(Array(ack.readableBytesView)[...])
        else { return false }
        codec = try RLPxFrameCodec(secrets: secrets)
        return true
    }

    /// Writes raw bytes into the channel, recording (not throwing) any error the pipeline reports.
    func feed(_ bytes: [UInt8]) {
        do {
            try channel.writeInbound(ByteBuffer(bytes: bytes))
        } catch {
            errors.append(error)
        }
    }

    /// The frame bytes for `payload`.
    func frame(_ payload: [UInt8]) throws -> [UInt8] {
        guard let codec else { throw RLPxError.outOfOrder("no handshake yet") }
        return try codec.encodeFrame(payload)
    }

    /// Sends a base or sub-protocol message as the remote would.
    func send(id: UInt64, data: [UInt8]) throws {
        feed(try frame(messages.encode(id: id, data: data)))
    }

    /// Whether our handler compresses what it sends: only once it accepted the remote's Hello.
    var handlerCompresses = false

    /// Sends a Hello from the remote (by default a correct one); when `accepted`, both sides then compress.
    func sendHello(accepted: Bool = true, _ edit: (inout Hello) -> Void = { _ in }) throws {
        var hello = Hello(clientId: "test/v1", capabilities: [Capability(name: "eth", version: 68)], listenPort: 0,
                          nodeId: key.publicKey.rawBytes)
        edit(&hello)
        try send(id: 0, data: hello.rlp)
        messages.compression = true
        handlerCompresses = accepted
    }

    /// Every message our handlers wrote, decoded (Hello is never compressed; the rest per `handlerCompresses`).
    func received() throws -> [(id: UInt64, data: [UInt8])] {
        guard let codec else { return [] }
        var out: [(UInt64, [UInt8])] = []
        while var bytes = try channel.readOutbound(as: ByteBuffer.self) {
            while let payload = try codec.readFrame(from: &bytes) {
                let raw = Array(payload.readableBytesView)
                out.append(try MessageCodec(compression: handlerCompresses).decode(raw))
            }
        }
        return out
    }

    /// The Disconnect reason among received messages, if any.
    func disconnectReason() throws -> DisconnectReason? {
        for (id, data) in try received() where id == 1 { return P2PMessage.disconnectReason(data) }
        return nil
    }

    var isOpen: Bool { channel.isActive }
}
