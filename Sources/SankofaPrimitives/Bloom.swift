/// A 2048-bit Ethereum log bloom filter (yellow paper §4.3.1): each added value sets three bits chosen by the
/// first three 16-bit pairs of its keccak digest.
public struct Bloom: Hashable, Sendable {
    /// The 256 filter bytes, big-endian bit order as on the wire.
    public private(set) var bytes: [UInt8]

    public static let byteCount = 256

    /// The empty filter.
    public init() { bytes = [UInt8](repeating: 0, count: Self.byteCount) }

    /// A filter from its 256 bytes, or nil for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = Array(bytes)
    }

    /// Adds a value (a log's address or one of its topics).
    public mutating func add(_ value: some Collection<UInt8>) { insert(Bits(digest: Keccak256.hash(value))) }

    /// Sets the bits a value chose.
    public mutating func insert(_ bits: Bits) {
        bytes.withUnsafeMutableBufferPointer { filter in
            // Bit 0 is the lowest bit of the last byte.
            func set(_ bit: UInt16) { filter[Self.byteCount - 1 - Int(bit / 8)] |= UInt8(1) << (bit % 8) }
            set(bits.first)
            set(bits.second)
            set(bits.third)
        }
    }

    /// The three bit positions (0…2047) a value sets. Deriving them costs a keccak, the dear part of adding a
    /// value, so a caller that adds the same values over and over (a block's contract addresses and event
    /// topics) can keep them.
    public struct Bits: Hashable, Sendable {
        public let first: UInt16
        public let second: UInt16
        public let third: UInt16

        /// The bits of the value whose keccak digest is `digest`: its first three big-endian 16-bit pairs, 11 bits each.
        public init(digest: Hash32) {
            (first, second, third) = digest.withUnsafeBytes { d in
                func pair(_ i: Int) -> UInt16 { (UInt16(d[i]) << 8 | UInt16(d[i + 1])) & 2047 }
                return (pair(0), pair(2), pair(4))
            }
        }

        /// The bits of a value given as raw bytes (an address or a topic).
        public init(of value: UnsafeRawBufferPointer) { self.init(digest: Keccak256.hash(value)) }
    }

    /// Whether the filter may contain `value` (false means certainly absent).
    public func mayContain(_ value: some Collection<UInt8>) -> Bool {
        var probe = Bloom()
        probe.add(value)
        return contains(probe)
    }

    /// Whether every bit of `other` is set here.
    public func contains(_ other: Bloom) -> Bool {
        for i in 0..<Self.byteCount where bytes[i] & other.bytes[i] != other.bytes[i] { return false }
        return true
    }

    /// Merges another filter into this one (a block's bloom is the union of its receipts').
    public mutating func formUnion(_ other: Bloom) {
        bytes.withUnsafeMutableBufferPointer { mine in
            other.bytes.withUnsafeBufferPointer { theirs in
                for i in 0..<Self.byteCount { mine[i] |= theirs[i] }
            }
        }
    }
}
