import SankofaClique
import SankofaPrimitives
import SankofaState
import SankofaStorage

/// Clique signer snapshots persisted in the database's metadata column, so a restarted node does not replay the
/// chain from genesis to know its signers.
struct StoredCliqueSnapshots: CliqueSnapshotStore {
    let store: any KeyValueStore

    func load(_ hash: Hash32) throws -> [UInt8]? { try store.get(.metadata, Schema.cliqueSnapshotKey(hash)) }
    func save(_ hash: Hash32, _ bytes: [UInt8]) throws { try store.put(.metadata, Schema.cliqueSnapshotKey(hash), bytes) }
}
