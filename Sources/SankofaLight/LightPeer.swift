import NIOCore
import SankofaCrypto
import SankofaP2P
import SankofaPrimitives
import SankofaSync

/// A full node as a light client sees it: its Status, the newest head it announced, and our requests awaiting
/// its answers. Nothing it says is believed until checked against a verified header.
public final class LightPeer: Sendable, CustomStringConvertible {
    public let peer: Peer
    private struct State {
        var status: EthStatus?
        /// Announced, not verified.
        var head: BlockHashAnnouncement?
    }
    private let state = Locked(State())
    let requests = PendingRequests<LightMessage>()

    init(peer: Peer) { self.peer = peer }

    public var remoteKey: PublicKey { peer.remoteKey }
    public var description: String { "full node \(peer.remoteKey.description.prefix(18))…" }
    public var status: EthStatus? { state.withLock { $0.status } }
    /// The head this server last announced (number and hash), unverified.
    public var announcedHead: BlockHashAnnouncement? { state.withLock { $0.head } }

    func accept(_ status: EthStatus) { state.withLock { $0.status = status } }

    func announce(_ head: BlockHashAnnouncement) {
        state.withLock { state in
            if head.number >= (state.head?.number ?? 0) { state.head = head }
        }
    }

    /// The server could not back its announced head.
    func forgetHead() { state.withLock { $0.head = nil } }

    func post(_ message: LightMessage) {
        peer.channel.writeAndFlush(Self.wire(message), promise: nil)
    }

    /// Sends a request and waits for the response carrying its id.
    func request(timeout: Duration, _ make: (UInt64) -> LightMessage) async throws -> LightMessage {
        try await requests.request(on: peer.channel, timeout: timeout) { Self.wire(make($0)) }
    }

    static func wire(_ message: LightMessage) -> SubProtocolMessage {
        SubProtocolMessage(protocolName: LightProtocol.capability.name, id: message.code, data: message.encoded)
    }
}
