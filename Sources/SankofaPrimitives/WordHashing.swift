/// How `Hash32` and `Address` place themselves in Swift's sets and dictionaries.
///
/// A node keeps these keys in a dozen tables per transaction (the pool, the sender cache, each peer's known
/// set, the gossip and duplicate filters, the state caches), and the standard `Hasher` runs SipHash over every
/// word of each: measured in a four-validator run, about 4 % of a validator's CPU. Here the words are folded by
/// 64×64→128-bit multiplies (the construction of wyhash, which also backs Go's map hashing), a third of the
/// cost. Like `Hasher`, the result is keyed by a secret drawn once per process and by each table's own seed, so
/// a peer cannot aim transactions at one bucket, and tables of different sizes do not share a bucket order.
/// (The secret is random even under `SWIFT_DETERMINISTIC_HASHING`: tables keyed by these never iterate in a
/// repeatable order, which nothing here relies on.)
public enum WordHashing {
    @usableFromInline
    static let key: (UInt64, UInt64, UInt64) = {
        var random = SystemRandomNumberGenerator()
        return (random.next(), random.next(), random.next())
    }()

    /// The high and low halves of the full product, folded: every input bit reaches the result.
    @inlinable @inline(__always)
    static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    /// Four words and a table's seed to a bucket hash.
    @inlinable
    public static func hash(_ w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ w3: UInt64, seed: Int) -> Int {
        let key = Self.key
        let seeded = key.0 ^ UInt64(bitPattern: Int64(seed))
        let first = fold(w0 ^ seeded, w1 ^ key.1)
        let second = fold(w2 ^ key.2, w3 ^ seeded)
        return Int(truncatingIfNeeded: fold(first ^ key.1, second ^ key.2))
    }
}
