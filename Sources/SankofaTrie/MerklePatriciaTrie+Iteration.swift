import SankofaPrimitives

/// Ordered iteration. Keys come out in ascending byte order (a key sorts before every longer key it
/// prefixes, which is why a branch's own value comes before its children).
extension MerklePatriciaTrie {
    /// Deepest node chain iteration will follow; every level consumes at least one nibble, so this allows
    /// keys up to 512 bytes while stopping a corrupt store whose nodes reference each other in a loop.
    static let maximumIterationDepth = 1024

    /// Calls `body(key, value)` for every entry with key >= `start`, in ascending key order, until `body`
    /// returns false. Stored nodes are loaded for the walk but not kept, so walking a large trie does not pin
    /// it in memory; `body` must not modify this trie.
    public mutating func forEach(from start: [UInt8] = [], _ body: ([UInt8], [UInt8]) throws -> Bool) throws {
        var prefix: [UInt8] = []
        prefix.reserveCapacity(128)
        let walk = Walk(start: Nibbles.from(start), reader: reader)
        _ = try walk.visit(root, &prefix, bounded: true, depth: 0, body)
    }

    /// One iteration: the start bound (as nibbles) and where to load nodes from.
    struct Walk {
        let start: [UInt8]
        let reader: any TrieNodeReader

        /// Visits `node`, whose path from the root is `prefix`. While `bounded`, `prefix` equals the start of
        /// `start`, so keys below `start` may still be in this subtree and are skipped; once the walk moves
        /// past `start` on some nibble, everything further is emitted. Returns false when `body` asked to stop.
        func visit(_ node: Node, _ prefix: inout [UInt8], bounded: Bool, depth: Int,
                   _ body: ([UInt8], [UInt8]) throws -> Bool) throws -> Bool {
            guard depth < maximumIterationDepth else {
                throw TrieError.malformedNode("trie deeper than \(maximumIterationDepth) levels")
            }
            switch node {
            case .empty:
                return true

            case .hash(let hash):
                return try visit(load(hash, reader), &prefix, bounded: bounded, depth: depth + 1, body)

            case .leaf(let path, let value, _):
                let mark = prefix.count
                prefix.append(contentsOf: path)
                defer { prefix.removeSubrange(mark...) }
                if bounded && prefix.lexicographicallyPrecedes(start) { return true }
                return try emit(prefix, value, body)

            case .ext(let path, let child, _):
                var stillBounded = bounded
                if bounded {
                    switch compare(path, withStartAt: prefix.count) {
                    case .below: return true
                    case .above: stillBounded = false
                    case .within: stillBounded = true
                    }
                }
                let mark = prefix.count
                prefix.append(contentsOf: path)
                defer { prefix.removeSubrange(mark...) }
                return try visit(child, &prefix, bounded: stillBounded, depth: depth + 1, body)

            case .branch(let children, let value, _):
                // Bounded and shorter than `start`: this branch's own key sorts below `start`.
                let stillBounded = bounded && prefix.count < start.count
                if !stillBounded && !value.isEmpty {
                    guard try emit(prefix, value, body) else { return false }
                }
                let first = stillBounded ? Int(start[prefix.count]) : 0
                for i in first..<16 where !children[i].isEmpty {
                    prefix.append(UInt8(i))
                    defer { prefix.removeLast() }
                    guard try visit(children[i], &prefix, bounded: stillBounded && i == first, depth: depth + 1, body)
                    else { return false }
                }
                return true
            }
        }

        enum Position { case below, within, above }

        /// Where the subtree under an extension `path` (at nibble `offset`) lies relative to `start`: wholly
        /// below it, wholly at or above it, or still straddling it (`path` is a proper prefix of the rest).
        func compare(_ path: [UInt8], withStartAt offset: Int) -> Position {
            let remaining = start.count - offset
            let limit = min(path.count, remaining)
            for i in 0..<limit where path[i] != start[offset + i] {
                return path[i] < start[offset + i] ? .below : .above
            }
            // Every key below has `start` as a prefix (so is >= start) unless `start` continues past `path`.
            return remaining <= path.count ? .above : .within
        }

        func emit(_ path: [UInt8], _ value: [UInt8], _ body: ([UInt8], [UInt8]) throws -> Bool) throws -> Bool {
            guard let key = Nibbles.bytes(path) else {
                throw TrieError.malformedNode("entry with an odd number of key nibbles")
            }
            return try body(key, value)
        }
    }
}
