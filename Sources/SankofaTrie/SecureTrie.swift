import SankofaPrimitives

/// A trie keyed by keccak256(key), as Ethereum's state trie (key = address) and storage tries (key = 32-byte
/// slot) are. Hashing spreads keys evenly, so paths stay short and an attacker cannot build a deep trie by
/// choosing keys. Callers pass the unhashed key everywhere except `forEach`, which can only report the hashed
/// keys (the trie does not keep preimages).
public struct SecureTrie: Sendable {
    /// keccak256(rlp("")): the root of the trie with no entries.
    public static let emptyRoot = MerklePatriciaTrie.emptyRoot

    /// The underlying trie, keyed by the hashed keys (for walks and lookups by hashed key).
    public var trie: MerklePatriciaTrie

    /// Opens the trie whose root node is stored under `root` (nothing is read until it is needed).
    public init(root: Hash32 = emptyRoot, reader: any TrieNodeReader) {
        trie = MerklePatriciaTrie(root: root, reader: reader)
    }

    /// The key as the underlying trie stores it.
    public static func hashedKey(_ key: [UInt8]) -> [UInt8] { Keccak256.hash(key).bytes }

    /// The value stored under `key`, or nil.
    public mutating func get(_ key: [UInt8]) throws -> [UInt8]? { try trie.get(Self.hashedKey(key)) }

    /// Sets `key` to `value`; an empty value deletes the key.
    public mutating func update(_ key: [UInt8], _ value: [UInt8]) throws {
        try trie.update(Self.hashedKey(key), value)
    }

    /// Removes `key` (no effect if absent).
    public mutating func delete(_ key: [UInt8]) throws { try trie.delete(Self.hashedKey(key)) }

    /// `update` for a caller that already holds keccak256(key) (the state keeps it for its flat snapshot too).
    public mutating func update(hashedKey: Hash32, _ value: [UInt8]) throws { try trie.update(hashedKey.bytes, value) }

    /// `delete` for a caller that already holds keccak256(key).
    public mutating func delete(hashedKey: Hash32) throws { try trie.delete(hashedKey.bytes) }

    /// See `MerklePatriciaTrie.rootHash()`.
    public mutating func rootHash() -> Hash32 { trie.rootHash() }

    /// See `MerklePatriciaTrie.commit()`.
    public mutating func commit() -> (root: Hash32, nodes: [TrieNode]) { trie.commit() }

    /// The EIP-1186 proof for the unhashed `key` (an address for the state trie, a slot for a storage trie).
    public mutating func proof(_ key: [UInt8]) throws -> [[UInt8]] { try trie.proof(Self.hashedKey(key)) }

    /// Checks a proof for the unhashed `key`; the value, or nil for a valid proof of absence.
    public static func verifyProof(root: Hash32, key: [UInt8], proof: [[UInt8]]) throws(TrieError) -> [UInt8]? {
        try MerklePatriciaTrie.verifyProof(root: root, key: hashedKey(key), proof: proof)
    }

    /// Every entry whose *hashed* key is >= `start` (a hashed key too), in hashed-key order; `body` receives
    /// the hashed key and the value and returns false to stop.
    public mutating func forEach(from start: [UInt8] = [], _ body: ([UInt8], [UInt8]) throws -> Bool) throws {
        try trie.forEach(from: start, body)
    }
}
