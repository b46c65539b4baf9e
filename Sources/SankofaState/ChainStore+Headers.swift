import SankofaChain
import SankofaPrimitives
import SankofaStorage

extension ChainStore {
    /// Stores verified headers without bodies, receipts or state — a light node's chain — and makes the last one
    /// the canonical head: headers, total difficulties, canonical index (entries above the new head removed, for a
    /// shorter heavier branch) and head marker, in one durable batch. `totalDifficulties[i]` belongs to
    /// `headers[i]`; headers run oldest first and each is the parent of the next.
    public func commitHeaders(_ headers: [BlockHeader], totalDifficulties: [UInt256], previousHead: UInt64) throws {
        guard let newHead = headers.last else { return }
        var batch = WriteBatch()
        for (header, td) in zip(headers, totalDifficulties) {
            let hash = header.hash
            batch.put(.headers, Schema.blockKey(hash), header.rlpEncoded)
            setTotalDifficulty(td, for: hash, in: &batch)
            batch.put(.canonical, Schema.canonicalKey(header.number), hash.bytes)
        }
        if previousHead > newHead.number {
            for number in (newHead.number + 1)...previousHead { batch.delete(.canonical, Schema.canonicalKey(number)) }
        }
        batch.put(.metadata, Schema.headBlockKey, newHead.hash.bytes)
        try store.write(batch, sync: true)
    }
}
