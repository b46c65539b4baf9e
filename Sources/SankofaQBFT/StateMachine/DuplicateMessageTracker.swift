import SankofaPrimitives

/// Remembers the last `limit` messages seen, so a message gossiped back or relayed by several peers is handled
/// once (Besu `MessageTracker`, `gossipedHistoryLimit`). Memory is bounded by `limit`.
///
/// Messages are told apart by code, length and a 64-bit SipHash of their bytes under this process's random seed,
/// not by Keccak-256: a proposal carries its whole block (hundreds of KB at full load) and arrives once from its
/// author and again from every relaying validator, so the digest runs on every copy, and SipHash is several times
/// faster. Nobody outside the process knows the seed, so no peer can make two different messages collide; by
/// chance, two of the `limit` remembered messages share a key with odds of about `limit`² / 2⁶⁴.
final class DuplicateMessageTracker {
    struct Key: Hashable {
        let code: Int
        let count: Int
        let hash: Int
    }

    private var keys: RecentSet<Key>

    init(limit: Int) { keys = RecentSet(capacity: max(1, limit)) }

    var limit: Int { keys.capacity }

    static func key(code: Int, data: [UInt8]) -> Key {
        var hasher = Hasher()
        data.withUnsafeBytes { hasher.combine(bytes: $0) }
        return Key(code: code, count: data.count, hash: hasher.finalize())
    }

    /// Records the message; returns false if it was already known.
    @discardableResult
    func insert(code: Int, data: [UInt8]) -> Bool {
        keys.insert(Self.key(code: code, data: data))
    }

    var count: Int { keys.count }
}
