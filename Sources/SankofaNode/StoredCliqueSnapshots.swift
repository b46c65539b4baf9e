import SankofaClique
import SankofaPrimitives
import SankofaStorage

/// Clique signer snapshots persisted in the database's metadata column, so a restarted node does not replay the
/// chain from genesis to know its signers.
struct StoredCliqueSnapshots: CliqueSnapshotStore {
    let store: any KeyValueStore

    static func key(_ hash: Hash32) -> [UInt8] { Array("clique-snapshot-".utf8) + hash.bytes }

    func load(_ hash: Hash32) throws -> [UInt8]? { try store.get(.metadata, Self.key(hash)) }
    func save(_ hash: Hash32, _ bytes: [UInt8]) throws { try store.put(.metadata, Self.key(hash), bytes) }
}
