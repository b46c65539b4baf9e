import SankofaPrimitives

/// Announced transaction hashes being fetched from some peer: another peer announcing the same hash gets nothing,
/// so a transaction is never requested from two peers at once. Bounded by `limit` (hashes a peer's announcements
/// can make us hold).
final class ClaimedHashes: Sendable {
    private let held = Locked(Set<Hash32>())
    let limit: Int

    init(limit: Int = .max) { self.limit = limit }

    /// The hashes nobody held, in order, now held by the caller until `release`: none once `limit` hashes are held,
    /// and a hash that came earlier in `hashes` is skipped too.
    func claim(_ hashes: [Hash32]) -> [Hash32] {
        held.withLock { held in hashes.filter { held.count < limit && held.insert($0).inserted } }
    }

    func release(_ hashes: some Sequence<Hash32>) {
        held.withLock { held in for hash in hashes { held.remove(hash) } }
    }
}
