import SankofaCrypto
import SankofaP2P
import SankofaPrimitives

/// Which connected peers are which validators. A validator's node key is its validator key by default (Besu
/// `--node-private-key-file` signs both RLPx and consensus messages), so the validator behind a peer is the
/// address of its devp2p node id: the last 20 bytes of keccak256 of the 64-byte public key (Besu
/// `ValidatorPeers` / `Util.publicKeyToAddress`). This file is the one place that derivation is made.
enum ValidatorPeers {
    /// The validator address a peer with node id `key` signs consensus messages as.
    static func address(of key: PublicKey) -> Address { key.address }

    /// The peers among `peers` that run `istanbul` and belong to one of `validators`, at most one per validator.
    static func select(_ peers: [Peer], validators: [Address]) -> [Peer] {
        var wanted = Set(validators)
        var chosen: [Peer] = []
        for peer in peers where peer.info.shared.wireID(name: IstanbulSubProtocol.name, relativeID: 0) != nil {
            if wanted.remove(address(of: peer.remoteKey)) != nil { chosen.append(peer) }
        }
        return chosen
    }
}
