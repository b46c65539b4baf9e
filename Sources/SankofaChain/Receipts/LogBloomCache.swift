import SankofaPrimitives

/// The bloom bits of every log address and topic it has derived, kept for the receipts of one block: a block's logs
/// come from a few contracts and carry a few event signatures as topic 0, so most of the keccaks its blooms need are
/// repeats. Holds one entry per distinct value of the block it serves, so it is bounded by that block's logs.
public struct LogBloomCache {
    private var addresses: [Address: Bloom.Bits] = [:]
    private var topics: [Hash32: Bloom.Bits] = [:]

    public init() {}

    mutating func bits(of address: Address) -> Bloom.Bits {
        if let known = addresses[address] { return known }
        let bits = address.withUnsafeBytes { Bloom.Bits(of: $0) }
        addresses[address] = bits
        return bits
    }

    mutating func bits(of topic: Hash32) -> Bloom.Bits {
        if let known = topics[topic] { return known }
        let bits = topic.withUnsafeBytes { Bloom.Bits(of: $0) }
        topics[topic] = bits
        return bits
    }
}
