import SankofaPrimitives

/// Merkle proofs in the EIP-1186 (`eth_getProof`) shape: the RLP of every node on the path from the root
/// toward the key that is stored by hash. Nodes under 32 bytes are embedded in their parent's encoding, so
/// they are not separate entries. A proof for an absent key shows where the path ends.
extension MerklePatriciaTrie {
    /// The proof for `key` (present or absent) against `rootHash()`. Empty for the empty trie.
    public mutating func proof(_ key: [UInt8]) throws -> [[UInt8]] {
        _ = rootHash()  // every node on the path needs its reference to be encoded
        let path = Nibbles.from(key)
        if case .unloaded = Self.lookup(root, path) { _ = try Self.loadingGet(&root, path, 0, reader) }

        var proof: [[UInt8]] = []
        var node = root
        var pos = 0
        var isRoot = true
        walk: while true {
            defer { isRoot = false }
            switch node {
            case .empty, .hash:
                break walk
            case .leaf(let leafPath, let value, let flags):
                if isRoot || flags.isStoredByHash { proof.append(NodeCodec.encodeLeaf(path: leafPath, value: value)) }
                break walk
            case .ext(let extPath, let child, let flags):
                if isRoot || flags.isStoredByHash {
                    proof.append(NodeCodec.encodeExtension(path: extPath, child: child))
                }
                guard Path.hasPrefix(path, pos, extPath) else { break walk }
                pos += extPath.count
                node = child
            case .branch(let children, let value, let flags):
                if isRoot || flags.isStoredByHash {
                    proof.append(NodeCodec.encodeBranch(children: children, value: value))
                }
                guard pos < path.count else { break walk }
                node = children[Int(path[pos])]
                pos += 1
            }
        }
        return proof
    }

    /// Checks `proof` against `root` and returns the value it proves for `key`, or nil when it proves the key
    /// is absent. Proof nodes are looked up by their hash (as geth does), so order does not matter and extra
    /// nodes are ignored; a missing, altered or malformed node on the path throws `TrieError.invalidProof`.
    public static func verifyProof(root: Hash32, key: [UInt8], proof: [[UInt8]]) throws(TrieError) -> [UInt8]? {
        if root == emptyRoot { return nil }
        var byHash: [Hash32: [UInt8]] = [:]
        for encoded in proof { byHash[Keccak256.hash(encoded)] = encoded }

        let path = Nibbles.from(key)
        var pos = 0
        var wanted = root
        var step = 0
        while true {
            guard let encoded = byHash[wanted] else {
                throw .invalidProof("node \(wanted) (step \(step)) is not in the proof")
            }
            var node: Node
            do {
                node = try NodeCodec.decode(encoded, hash: wanted)
            } catch {
                throw .invalidProof("node \(wanted) (step \(step)): \(error)")
            }
            step += 1
            // Walk the decoded node and any nodes embedded in it until the path leaves it.
            descend: while true {
                switch node {
                case .empty:
                    return nil
                case .hash(let next):
                    wanted = next
                    break descend
                case .leaf(let leafPath, let value, _):
                    return Path.equalsRest(path, pos, leafPath) ? value : nil
                case .ext(let extPath, let child, _):
                    guard Path.hasPrefix(path, pos, extPath) else { return nil }
                    pos += extPath.count
                    node = child
                case .branch(let children, let value, _):
                    if pos == path.count { return value.isEmpty ? nil : value }
                    node = children[Int(path[pos])]
                    pos += 1
                }
            }
        }
    }
}
