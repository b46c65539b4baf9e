import SankofaCrypto
import SankofaP2P
import SankofaPrimitives

/// Which connected peers are which validators. A validator's node key is its validator key by default (Besu
/// `--node-private-key-file` signs both RLPx and consensus messages), so the validator behind a peer is usually
/// the address of its devp2p node id: the last 20 bytes of keccak256 of the 64-byte public key (Besu
/// `ValidatorPeers` / `Util.publicKeyToAddress`). Members of a hot-standby group sign with a shared key that is not
/// their node key, so they are not recognised this way (see `PeerGossip`). This file is the one place that
/// derivation is made.
enum ValidatorPeers {
    /// The validator address a peer with node id `key` signs consensus messages as, unless it is in a hot-standby
    /// group.
    static func address(of key: PublicKey) -> Address { key.address }

    /// The peers among `peers` that run `istanbul`: where consensus messages go.
    static func consensusPeers(_ peers: [Peer]) -> [Peer] {
        peers.filter { $0.info.shared.wireID(name: IstanbulSubProtocol.name, relativeID: 0) != nil }
    }
}
