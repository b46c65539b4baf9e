import Glibc

/// Byte-wise key order shared by `MemoryStore` and the RocksDB iteration code, so both backends agree with
/// RocksDB's default comparator (unsigned lexicographic, a shorter key before its extensions).
enum KeyOrder {
    /// Negative, zero or positive as `a` sorts before, equal to or after `b`.
    @inline(__always)
    static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in compare(pa, pb) }
        }
    }

    @inline(__always)
    static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let common = min(a.count, b.count)
        if common > 0, let x = a.baseAddress, let y = b.baseAddress {
            let c = memcmp(x, y, common)
            if c != 0 { return Int(c) }
        }
        return a.count - b.count
    }

    /// Whether `key` begins with `prefix` (every key begins with the empty prefix).
    @inline(__always)
    static func hasPrefix(_ key: UnsafeBufferPointer<UInt8>, _ prefix: UnsafeBufferPointer<UInt8>) -> Bool {
        guard prefix.count > 0 else { return true }
        guard key.count >= prefix.count, let k = key.baseAddress, let p = prefix.baseAddress else { return false }
        return memcmp(k, p, prefix.count) == 0
    }

    static func hasPrefix(_ key: [UInt8], _ prefix: [UInt8]) -> Bool {
        key.withUnsafeBufferPointer { k in prefix.withUnsafeBufferPointer { p in hasPrefix(k, p) } }
    }

    /// Where an iteration over `prefix` starting at `start` begins: the larger of the two.
    static func seekKey(prefix: [UInt8], start: [UInt8]?) -> [UInt8] {
        guard let start, compare(start, prefix) > 0 else { return prefix }
        return start
    }

    /// The smallest key greater than every key that begins with `prefix`, or nil when there is none
    /// (empty prefix, or a prefix of only 0xff bytes). Used as an exclusive iteration bound.
    static func prefixSuccessor(_ prefix: [UInt8]) -> [UInt8]? {
        var bound = prefix
        while let last = bound.last {
            if last < 0xff {
                bound[bound.count - 1] = last + 1
                return bound
            }
            bound.removeLast()
        }
        return nil
    }
}
