import NIOCore
import SankofaConsensus
import SankofaP2P
import SankofaPrimitives

/// QBFT's gossip over RLPx: each consensus message goes as an `istanbul/100` message to every connected peer that
/// runs `istanbul`, whatever validators it is addressed to.
///
/// Why not only to the addressed validators' peers (Besu `ValidatorPeers`): a validator in a hot-standby group
/// (README "Hot standby") signs with a key that is none of its members' node keys, so no peer is that validator
/// by its node key; sending to everyone reaches every member, the active one and the standbys. Receivers drop
/// what they have seen (`DuplicateMessageTracker`) and the active validators re-gossip what is new, so a message
/// also reaches members that are not directly connected to its author. Nodes without a QBFT state machine
/// (replicas, standbys) ignore these messages. The cost is one copy per `istanbul` peer rather than per validator
/// — consensus messages are a few hundred bytes, a few per validator and block, but a proposal carries its block
/// (up to megabytes), so a relayed message skips the peers whose node keys are its holders' (its author, and for
/// a proposal, the validators that voted on it while it waited: `QBFTConfig.proposalRelayDelayMilliseconds`). No
/// message code is added to `istanbul/100`, so Besu peers see the same messages as before.
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
        /// Copies written to peers.
        var sent = 0
        /// Messages that went to no peer: no `istanbul` peer connected (or not a consensus code).
        var unreachable = 0
        /// Copies skipped because the peer's channel was not writable.
        var backpressured = 0
    }

    var sentCounts: Counts { counts.withLock { $0 } }

    func attach(_ host: P2PHost) { self.host.withLock { $0 = host } }

    func send(code: Int, data: [UInt8], to validator: Address) {
        multicast(code: code, data: data, to: [validator])
    }

    func multicast(code: Int, data: [UInt8], to validators: [Address]) {
        write(code: code, data: data)
    }

    func relay(code: Int, data: [UInt8], to validators: [Address], holders: [Address]) {
        write(code: code, data: data, skipping: holders)
    }

    /// Writes the message to every `istanbul` peer but those whose node key is one of `holders`.
    private func write(code: Int, data: [UInt8], skipping holders: [Address] = []) {
        guard let message = IstanbulSubProtocol.message(code: code, data: data),
              let peers = host.withLock({ $0?.peers }) else {
            counts.withLock { $0.unreachable += 1 }
            return
        }
        var targets = ValidatorPeers.consensusPeers(peers)
        if !holders.isEmpty { targets.removeAll { holders.contains(ValidatorPeers.address(of: $0.remoteKey)) } }
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
            if targets.isEmpty { $0.unreachable += 1 }
        }
    }
}
