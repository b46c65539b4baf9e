import SankofaPrimitives

/// One committed trie node: its RLP encoding and the keccak256 of that encoding, under which it is stored and
/// referenced by its parent. `MerklePatriciaTrie.commit()` hands these to the caller to write to a database.
public struct TrieNode: Sendable, Hashable {
    /// keccak256(`encoded`): the node's key in the node store.
    public let hash: Hash32
    /// The node's canonical RLP encoding.
    public let encoded: [UInt8]

    /// A node whose hash the caller has already computed (the trie does this while hashing).
    public init(hash: Hash32, encoded: [UInt8]) {
        self.hash = hash
        self.encoded = encoded
    }

    /// A node from its encoding alone; hashes it.
    public init(encoded: [UInt8]) {
        self.init(hash: Keccak256.hash(encoded), encoded: encoded)
    }
}

/// Where committed nodes are read from. The state layer adapts its database to this; tests use
/// `InMemoryTrieNodes`. Returning nil means "not stored", which the trie reports as `TrieError.missingNode`.
public protocol TrieNodeReader: Sendable {
    /// The RLP encoding of the node whose keccak256 is `hash`, or nil when it is not stored.
    func trieNode(_ hash: Hash32) throws -> [UInt8]?
}
