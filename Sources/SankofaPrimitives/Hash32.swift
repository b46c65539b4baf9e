/// A 32-byte value: a Keccak-256 digest, a block or transaction hash, a state root, a storage key.
///
/// Held inline as four machine words in memory order, so equality is four compares, hashing a few multiplies
/// (`WordHashing`), and the type never allocates.
public struct Hash32: Hashable, Sendable, Comparable, CustomStringConvertible {
    @usableFromInline var w0: UInt64
    @usableFromInline var w1: UInt64
    @usableFromInline var w2: UInt64
    @usableFromInline var w3: UInt64

    /// All zeroes: the "no hash" value used by Ethereum for empty parents, zero storage slots and the like.
    public static let zero = Hash32(w0: 0, w1: 0, w2: 0, w3: 0)

    @usableFromInline
    init(w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64) {
        self.w0 = w0
        self.w1 = w1
        self.w2 = w2
        self.w3 = w3
    }

    /// Copies exactly 32 bytes from raw memory; the caller guarantees the length.
    @inlinable
    public init(unsafeBytes raw: UnsafeRawBufferPointer) {
        precondition(raw.count >= 32, "Hash32 needs 32 bytes")
        w0 = raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        w1 = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        w2 = raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
        w3 = raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
    }

    /// A hash from exactly 32 bytes, or nil for any other length.
    @inlinable
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        var value = Hash32.zero
        value.withUnsafeMutableBytes { out in out.copyBytes(from: bytes) }
        self = value
    }

    /// Parses `0x` + 64 hex digits (the prefix is optional).
    public init(hex: some StringProtocol) throws(HexError) {
        let bytes = try Hex.decode(hex, count: 32)
        self = bytes.withUnsafeBytes { Hash32(unsafeBytes: $0) }
    }

    /// The 32 bytes in order.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Reads the 32 bytes without copying.
    @inlinable
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        var copy = self
        return try Swift.withUnsafeBytes(of: &copy) { (raw) throws(E) -> R in try body(raw) }
    }

    /// Writes the 32 bytes in place (used by hashers to fill a result without an intermediate array).
    @inlinable
    public mutating func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeMutableBytes(of: &self, body)
    }

    /// `0x` + 64 lowercase hex digits, as JSON-RPC writes hashes.
    public var hex: String { withUnsafeBytes { Hex.encode($0) } }

    public var description: String { hex }

    public var isZero: Bool { w0 | w1 | w2 | w3 == 0 }

    /// Sets and dictionaries hash the words with `WordHashing`, not SipHash.
    @inlinable
    public func _rawHashValue(seed: Int) -> Int { WordHashing.hash(w0, w1, w2, w3, seed: seed) }

    @inlinable
    public func hash(into hasher: inout Hasher) { hasher.combine(_rawHashValue(seed: 0)) }

    /// Orders hashes as big-endian byte strings (the order of their hex text).
    public static func < (lhs: Hash32, rhs: Hash32) -> Bool {
        let l = (lhs.w0.bigEndian, lhs.w1.bigEndian, lhs.w2.bigEndian, lhs.w3.bigEndian)
        let r = (rhs.w0.bigEndian, rhs.w1.bigEndian, rhs.w2.bigEndian, rhs.w3.bigEndian)
        return l < r
    }
}
