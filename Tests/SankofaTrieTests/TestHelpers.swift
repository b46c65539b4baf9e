import SankofaPrimitives
import SankofaTestSupport
@testable import SankofaTrie


/// ethereum/tests trie vectors write keys and values as ASCII, or as hex when prefixed with 0x.
func vectorBytes(_ text: String) -> [UInt8] {
    text.hasPrefix("0x") ? fixtureBytes(text) : Array(text.utf8)
}

/// A trie holding exactly `entries`, inserted in the given order.
func buildTrie(_ entries: [([UInt8], [UInt8])], secure: Bool = false) throws -> Hash32 {
    if secure {
        var trie = SecureTrie(reader: InMemoryTrieNodes())
        for (key, value) in entries { try trie.update(key, value) }
        return trie.rootHash()
    }
    var trie = MerklePatriciaTrie(reader: InMemoryTrieNodes())
    for (key, value) in entries { try trie.update(key, value) }
    return trie.rootHash()
}

/// Every entry of a trie in iteration order.
func allEntries(_ trie: inout MerklePatriciaTrie) throws -> [([UInt8], [UInt8])] {
    var out: [([UInt8], [UInt8])] = []
    try trie.forEach { key, value in
        out.append((key, value))
        return true
    }
    return out
}

/// Hashes of every node reachable from `root` through `store` (fails if any is missing or malformed).
func reachableNodes(root: Hash32, store: InMemoryTrieNodes) throws -> Set<Hash32> {
    guard root != MerklePatriciaTrie.emptyRoot else { return [] }
    var seen: Set<Hash32> = []
    var pending = [root]
    while let next = pending.popLast() {
        guard seen.insert(next).inserted else { continue }
        guard let encoded = try store.trieNode(next) else { throw TrieError.missingNode(next) }
        func follow(_ node: Node) {
            switch node {
            case .empty, .leaf: break
            case .hash(let hash): pending.append(hash)
            case .ext(_, let child, _): follow(child)
            case .branch(let children, _, _): children.forEach(follow)
            }
        }
        follow(try NodeCodec.decode(encoded, hash: next))
    }
    return seen
}

extension Array where Element == UInt8 {
    /// Lexicographic byte order, the order trie iteration yields keys in.
    static func byteOrder(_ a: [UInt8], _ b: [UInt8]) -> Bool { a.lexicographicallyPrecedes(b) }
}
