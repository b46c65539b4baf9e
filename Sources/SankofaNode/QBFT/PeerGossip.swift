import NIOCore
import SankofaConsensus
import SankofaP2P
import SankofaPrimitives

/// QBFT's gossip over RLPx (Besu `ValidatorPeers` as `ValidatorMulticaster`): each consensus message goes as an
/// `istanbul/100` message to the connected peers that are the addressed validators; validators not connected are
/// skipped (delivery is best effort, the round timers cover loss).
///
/// Called on the consensus thread, it never waits: writes are handed to each peer's NIO channel. A peer whose
/// channel is over its write-buffer high-water mark gets nothing until it drains, so a stalled peer cannot make
/// this node buffer without limit.
final class PeerGossip: ConsensusGossip, Sendable {
    /// The P2P host, once the node has built it (the state machine is built first).
    private let host = Locked<P2PHost?>(nil)
    private let counts = Locked(Counts())

    /// What was sent and dropped, for tests and logs.
    struct Counts: Sendable, Equatable {
        var sent = 0
        /// Addressed validators with no connected `istanbul` peer.
        var unreachable = 0
        /// Skipped because the peer's channel was not writable.
        var backpressured = 0
    }

    var sentCounts: Counts { counts.withLock { $0 } }

    func attach(_ host: P2PHost) { self.host.withLock { $0 = host } }

    func send(code: Int, data: [UInt8], to validator: Address) {
        multicast(code: code, data: data, to: [validator])
    }

    func multicast(code: Int, data: [UInt8], to validators: [Address]) {
        guard let message = IstanbulSubProtocol.message(code: code, data: data),
              let peers = host.withLock({ $0?.peers }) else {
            counts.withLock { $0.unreachable += validators.count }
            return
        }
        let targets = ValidatorPeers.select(peers, validators: validators)
        var sent = 0
        var backpressured = 0
        for peer in targets {
            guard peer.channel.isWritable else {
                backpressured += 1
                continue
            }
            peer.channel.writeAndFlush(message, promise: nil)
            sent += 1
        }
        counts.withLock {
            $0.sent += sent
            $0.backpressured += backpressured
            $0.unreachable += Set(validators).count - targets.count
        }
    }
}
