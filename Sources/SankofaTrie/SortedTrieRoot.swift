import SankofaPrimitives

/// The root hash of the trie holding `keys[i] → values[i]`, computed from keys in ascending byte order without
/// building the trie: each node is encoded, and hashed if 32 bytes or longer, as soon as the range of keys under it
/// is known, and nothing is kept (geth derives a block's roots the same way with its `StackTrie`).
///
/// For the ordered tries of a block (transactions and receipts, keyed by `rlp(index)`), which are built once per
/// block by the proposer and by every validator checking it; the general `MerklePatriciaTrie` allocates, splits and
/// re-links nodes on every insert, where this writes each node once.
public enum SortedTrieRoot {
    /// - Precondition: `keys` strictly ascending (so also distinct), as many as `values`, and no value empty (a
    ///   trie holds no empty value).
    public static func root(keys: [[UInt8]], values: [[UInt8]]) -> Hash32 {
        precondition(keys.count == values.count, "one value per key")
        guard !keys.isEmpty else { return MerklePatriciaTrie.emptyRoot }
        for (previous, next) in zip(keys, keys.dropFirst()) {
            precondition(previous.lexicographicallyPrecedes(next), "keys must be strictly ascending")
        }
        let builder = Builder(keys: keys, values: values)
        return Keccak256.hash(builder.node(0..<keys.count, depth: 0))
    }

    private struct Builder {
        let keys: [[UInt8]]
        let values: [[UInt8]]

        @inline(__always)
        func nibble(_ key: Int, _ i: Int) -> UInt8 {
            let byte = keys[key][i >> 1]
            return i & 1 == 0 ? byte >> 4 : byte & 0x0f
        }

        func nibbleCount(_ key: Int) -> Int { keys[key].count &* 2 }

        func path(_ key: Int, from start: Int, count: Int) -> [UInt8] {
            (start..<start + count).map { nibble(key, $0) }
        }

        /// The encoding of the node holding the keys in `range`, which all share their first `depth` nibbles.
        func node(_ range: Range<Int>, depth: Int) -> [UInt8] {
            let first = range.lowerBound
            if range.count == 1 {
                let rest = path(first, from: depth, count: nibbleCount(first) - depth)
                return NodeCodec.encodeLeaf(path: rest, value: values[first])
            }
            // Sorted keys: what the first and last share, all in between share too.
            let last = range.upperBound - 1
            let limit = min(nibbleCount(first), nibbleCount(last)) - depth
            var shared = 0
            while shared < limit && nibble(first, depth + shared) == nibble(last, depth + shared) { shared += 1 }
            guard shared > 0 else { return branch(range, depth: depth) }
            let prefix = path(first, from: depth, count: shared)
            let child = reference(branch(range, depth: depth + shared))
            var out = [UInt8]()
            out.reserveCapacity(4 + prefix.count / 2 + child.count)
            NodeCodec.appendListHeader(&out, NodeCodec.hexPrefixLength(prefix.count) + child.count)
            NodeCodec.appendHexPrefix(&out, prefix, isLeaf: false)
            out.append(contentsOf: child)
            return out
        }

        /// A branch at `depth`: a key ending here is its value (it sorts first); the others go to the child of
        /// their next nibble.
        func branch(_ range: Range<Int>, depth: Int) -> [UInt8] {
            var start = range.lowerBound
            var value: [UInt8] = []
            if nibbleCount(start) == depth {
                value = values[start]
                start += 1
            }
            var children = [[UInt8]]()
            children.reserveCapacity(16)
            var payload = 0
            for n in 0..<UInt8(16) {
                var end = start
                while end < range.upperBound && nibble(end, depth) == n { end += 1 }
                let child = end == start ? [0x80] : reference(node(start..<end, depth: depth + 1))
                payload += child.count
                children.append(child)
                start = end
            }
            var out = [UInt8]()
            out.reserveCapacity(payload + value.count + 12)
            NodeCodec.appendListHeader(&out, payload + NodeCodec.stringLength(value))
            for child in children { out.append(contentsOf: child) }
            NodeCodec.appendString(&out, value)
            return out
        }

        /// What a parent stores for a child: its encoding if under 32 bytes, else its hash as a 32-byte string.
        func reference(_ encoded: [UInt8]) -> [UInt8] {
            guard encoded.count >= 32 else { return encoded }
            var out = [UInt8]()
            out.reserveCapacity(33)
            NodeCodec.appendHash(&out, Keccak256.hash(encoded))
            return out
        }
    }
}
