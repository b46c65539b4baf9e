import SankofaConsensus
import SankofaState
import SankofaStorage

/// The last signature of a hot-standby validator in the node's own database (metadata column), written with an
/// fsync before the signature leaves the process, so a restarted member never forgets what it signed.
struct StoredSignatureLog: SignatureLog {
    let store: any KeyValueStore

    func load() throws -> SigningIntent? {
        try store.get(.metadata, Schema.lastSignedKey).flatMap { SignedRecord.decode(String(decoding: $0, as: UTF8.self)) }
    }

    func save(_ intent: SigningIntent) throws {
        var batch = WriteBatch()
        batch.put(.metadata, Schema.lastSignedKey, Array(SignedRecord.encode(intent).utf8))
        try store.write(batch, sync: true)
    }
}
