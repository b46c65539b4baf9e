import SankofaPrimitives

/// Ethereum's Merkle Patricia Trie: a map from byte keys to non-empty byte values whose root hash commits to
/// every entry. Used as-is for transaction and receipt tries, and under `SecureTrie` for state and storage.
///
/// Nodes live in memory as a tree of leaves, extensions and branches; stored nodes are loaded lazily from the
/// `TrieNodeReader` the first time a walk reaches them and then kept. Each node caches its hash and whether it
/// changed since the last commit, so `rootHash()` re-hashes only the changed paths and `commit()` hands out
/// only the new nodes. The type is a value: a copy shares all nodes with the original, and an update copies
/// just the nodes on its path.
///
/// Any operation that reads from the store may throw the reader's error or a `TrieError` (`missingNode`,
/// `malformedNode`); a failed update or delete leaves the trie unchanged.
public struct MerklePatriciaTrie: Sendable {
    /// keccak256(rlp("")): the root of the trie with no entries.
    public static let emptyRoot: Hash32 = Keccak256.hash([0x80] as [UInt8])

    var root: Node
    let reader: any TrieNodeReader

    /// Opens the trie whose root node is stored under `root` (nothing is read until it is needed).
    public init(root: Hash32 = emptyRoot, reader: any TrieNodeReader) {
        self.root = root == Self.emptyRoot ? .empty : .hash(root)
        self.reader = reader
    }

    /// The value stored under `key`, or nil. Loads (and keeps) the nodes on the key's path that are not in
    /// memory yet, which is why it is `mutating`.
    public mutating func get(_ key: [UInt8]) throws -> [UInt8]? {
        let path = Nibbles.from(key)
        switch Self.lookup(root, path) {
        case .found(let value): return value
        case .absent: return nil
        case .unloaded: return try Self.loadingGet(&root, path, 0, reader)
        }
    }

    /// Sets `key` to `value`. An empty value deletes the key, as in Ethereum (the trie never stores one).
    public mutating func update(_ key: [UInt8], _ value: [UInt8]) throws {
        if value.isEmpty { return try delete(key) }
        _ = try Self.insert(&root, Nibbles.from(key), 0, value, reader)
    }

    /// Removes `key` (no effect if it is absent), collapsing nodes exactly as geth does so roots match.
    public mutating func delete(_ key: [UInt8]) throws {
        _ = try Self.delete(&root, Nibbles.from(key), 0, reader)
    }

    /// The root hash: keccak256 of the root node's encoding (always hashed, even when under 32 bytes).
    /// Hashes only nodes changed since they were last hashed and caches the results.
    public mutating func rootHash() -> Hash32 {
        var unused: [TrieNode] = []
        Self.hash(&root, isRoot: true, committing: false, into: &unused)
        return Self.rootHash(of: root)
    }

    /// Hashes all changes and returns the root with every node that is new since the last commit and is
    /// referenced by hash: those whose encoding is at least 32 bytes, plus the root node whatever its size.
    /// Children come before their parents. Afterwards everything is clean, so a second commit with no updates
    /// in between returns no nodes. The empty trie has no nodes.
    public mutating func commit() -> (root: Hash32, nodes: [TrieNode]) {
        var nodes: [TrieNode] = []
        Self.hash(&root, isRoot: true, committing: true, into: &nodes)
        return (Self.rootHash(of: root), nodes)
    }

    // MARK: Loading

    /// Reads and decodes the stored node `hash`.
    static func load(_ hash: Hash32, _ reader: any TrieNodeReader) throws -> Node {
        guard let encoded = try reader.trieNode(hash) else { throw TrieError.missingNode(hash) }
        return try NodeCodec.decode(encoded, hash: hash)
    }

    // MARK: Lookup

    enum Lookup {
        case found([UInt8])
        case absent
        /// The walk reached a node that is not loaded yet.
        case unloaded
    }

    /// Read-only walk over the loaded nodes (no copies, no allocation).
    static func lookup(_ root: Node, _ key: [UInt8]) -> Lookup {
        var node = root
        var pos = 0
        while true {
            switch node {
            case .empty:
                return .absent
            case .hash:
                return .unloaded
            case .leaf(let path, let value, _):
                return Path.equalsRest(key, pos, path) ? .found(value) : .absent
            case .ext(let path, let child, _):
                guard Path.hasPrefix(key, pos, path) else { return .absent }
                pos += path.count
                node = child
            case .branch(let children, let value, _):
                if pos == key.count { return value.isEmpty ? .absent : .found(value) }
                node = children[Int(key[pos])]
                pos += 1
            }
        }
    }

    /// The same walk, loading unloaded nodes on the path and keeping them in the tree. Loading does not change
    /// any node's content, so cached hashes and dirty flags stay as they are.
    static func loadingGet(_ node: inout Node, _ key: [UInt8], _ pos: Int,
                           _ reader: any TrieNodeReader) throws -> [UInt8]? {
        switch node {
        case .empty:
            return nil
        case .hash(let hash):
            var loaded = try load(hash, reader)
            defer { node = loaded }
            return try loadingGet(&loaded, key, pos, reader)
        case .leaf(let path, let value, _):
            return Path.equalsRest(key, pos, path) ? value : nil
        case .ext(let path, _, _):
            guard Path.hasPrefix(key, pos, path) else { return nil }
            // Taken out of its slot so the box is released and `child` is uniquely referenced.
            guard case .ext(_, var child, let flags) = node.take() else { return nil }
            defer { node = .ext(path: path, child: child, flags: flags) }
            return try loadingGet(&child, key, pos + path.count, reader)
        case .branch(_, let value, _):
            if pos == key.count { return value.isEmpty ? nil : value }
            guard case .branch(var children, _, let flags) = node.take() else { return nil }
            defer { node = .branch(children: children, value: value, flags: flags) }
            return try loadingGet(&children[Int(key[pos])], key, pos + 1, reader)
        }
    }
}
