import SankofaPrimitives

/// Where a receipt's bloom gets the bits of a log's address and of its topics: derived afresh each time
/// (`FreshLogBloomBits`), or remembered across the receipts of a block (`LogBloomCache`).
public protocol LogBloomBits {
    mutating func bits(of address: Address) -> Bloom.Bits
    mutating func bits(of topic: Hash32) -> Bloom.Bits
}

/// Derives every value's bits: one keccak each.
public struct FreshLogBloomBits: LogBloomBits {
    public init() {}

    public func bits(of address: Address) -> Bloom.Bits { address.withUnsafeBytes { Bloom.Bits(of: $0) } }

    public func bits(of topic: Hash32) -> Bloom.Bits { topic.withUnsafeBytes { Bloom.Bits(of: $0) } }
}

/// Remembers the bits of every address and topic it derived, for the receipts of one block: a block's logs come
/// from a few contracts and carry a few event signatures as topic 0, so most of the keccaks its blooms need are
/// repeats. Holds one entry per distinct value of the block it serves, so it is bounded by that block's logs.
public struct LogBloomCache: LogBloomBits {
    private var addresses: [Address: Bloom.Bits] = [:]
    private var topics: [Hash32: Bloom.Bits] = [:]

    public init() {}

    public mutating func bits(of address: Address) -> Bloom.Bits {
        if let known = addresses[address] { return known }
        let bits = FreshLogBloomBits().bits(of: address)
        addresses[address] = bits
        return bits
    }

    public mutating func bits(of topic: Hash32) -> Bloom.Bits {
        if let known = topics[topic] { return known }
        let bits = FreshLogBloomBits().bits(of: topic)
        topics[topic] = bits
        return bits
    }
}
