#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import SankofaPrimitives

/// A dictionary-backed node store: the reader for in-memory tries and tests, and the sink for their commits.
/// A class so that one store can be shared by several tries and filled after they were opened.
///
/// `@unchecked Sendable` is sound because every access to `nodes` happens under `lock`.
public final class InMemoryTrieNodes: TrieNodeReader, @unchecked Sendable {
    private var nodes: [Hash32: [UInt8]]
    private let lock = PThreadMutex()

    /// An empty store, or one holding `nodes`.
    public init(_ nodes: [TrieNode] = []) {
        self.nodes = Dictionary(nodes.map { ($0.hash, $0.encoded) }, uniquingKeysWith: { _, last in last })
    }

    /// Adds nodes, typically the output of `commit()`.
    public func insert(_ nodes: [TrieNode]) {
        lock.withLock { for node in nodes { self.nodes[node.hash] = node.encoded } }
    }

    /// Stores raw bytes under `hash` without checking that they hash to it (for corruption tests).
    public func insert(hash: Hash32, encoded: [UInt8]) {
        lock.withLock { nodes[hash] = encoded }
    }

    /// Removes a node (for tests of missing data).
    public func remove(_ hash: Hash32) {
        lock.withLock { _ = nodes.removeValue(forKey: hash) }
    }

    /// The number of stored nodes.
    public var count: Int { lock.withLock { nodes.count } }

    /// Every stored node's hash.
    public var hashes: [Hash32] { lock.withLock { Array(nodes.keys) } }

    public func trieNode(_ hash: Hash32) throws -> [UInt8]? {
        lock.withLock { nodes[hash] }
    }
}
