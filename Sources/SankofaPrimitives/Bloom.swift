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
    public mutating func add(_ value: some Collection<UInt8>) {
        let digest = Keccak256.hash(value)
        digest.withUnsafeBytes { d in
            for i in stride(from: 0, to: 6, by: 2) {
                let bit = (Int(d[i]) << 8 | Int(d[i + 1])) & 2047
                bytes[Self.byteCount - 1 - bit / 8] |= UInt8(1) << (bit % 8)
            }
        }
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
        for i in 0..<Self.byteCount { bytes[i] |= other.bytes[i] }
    }
}
