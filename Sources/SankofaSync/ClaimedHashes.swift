import SankofaPrimitives

/// Transaction hashes some task has taken on — being fetched from a peer, or being admitted to the pool. Another
/// task asking for the same hash gets nothing, so a transaction is neither requested from two peers nor has its
/// sender recovered twice at the same moment. Bounded by `limit` (hashes a peer's announcements can make us hold).
final class ClaimedHashes: Sendable {
    private let held = Locked(Set<Hash32>())
    let limit: Int

    init(limit: Int = .max) { self.limit = limit }

    /// The items whose hash nobody held, in order, now held by the caller until `release`: none once `limit`
    /// hashes are held, and an item whose hash came earlier in `items` is skipped too.
    func claim<Item>(_ items: [Item], hash: (Item) -> Hash32) -> [Item] {
        held.withLock { held in
            items.filter { item in held.count < limit && held.insert(hash(item)).inserted }
        }
    }

    func release(_ hashes: some Sequence<Hash32>) {
        held.withLock { held in for hash in hashes { held.remove(hash) } }
    }

    func contains(_ hash: Hash32) -> Bool { held.withLock { $0.contains(hash) } }
}
