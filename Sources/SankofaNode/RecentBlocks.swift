import SankofaChain
import SankofaPrimitives

/// The last blocks RPC read, decoded, with their receipts and senders, by block hash (geth keeps the same:
/// `blockCache`, `receiptsCache`). A client polling `eth_getTransactionReceipt` or `eth_getTransactionByHash` for
/// each transaction of a new block made the node read and decode the whole block on every call: 19 ms per call in a
/// block of 5,600 transactions, against 0.3 ms for `eth_blockNumber`. What a hash names never changes, so nothing
/// is invalidated; the oldest entries go first. Each new head is put here as the node imports or builds it (already
/// decoded, with its receipts), so the clients that follow the head never make the node read it back.
final class RecentBlocks: Sendable {
    /// Blocks are made by validators, not by clients, but can be megabytes each: a few are enough for clients
    /// following the head.
    static let capacity = 8

    private let blocks = Locked(RecentMap<Hash32, Block>(capacity: RecentBlocks.capacity))
    private let receipts = Locked(RecentMap<Hash32, [Receipt]>(capacity: RecentBlocks.capacity))
    private let senders = Locked(RecentMap<Hash32, [Address]>(capacity: RecentBlocks.capacity))

    /// Keeps a block this node has just made canonical, with its receipts.
    func remember(_ block: Block, receipts: [Receipt]) {
        let hash = block.hash
        blocks.withLock { _ = $0.insert(block, for: hash) }
        self.receipts.withLock { _ = $0.insert(receipts, for: hash) }
    }

    func block(_ hash: Hash32, load: () throws -> Block?) throws -> Block? {
        try Self.cached(blocks, hash, load)
    }

    func receipts(_ blockHash: Hash32, load: () throws -> [Receipt]?) throws -> [Receipt]? {
        try Self.cached(receipts, blockHash, load)
    }

    func senders(_ blockHash: Hash32, load: () throws -> [Address]) throws -> [Address] {
        try Self.cached(senders, blockHash, load)!
    }

    /// The value for `hash`, loaded (outside the lock) and remembered when absent; nothing is remembered for nil.
    private static func cached<Value>(_ map: Locked<RecentMap<Hash32, Value>>, _ hash: Hash32,
                                      _ load: () throws -> Value?) throws -> Value? {
        if let value = map.withLock({ $0[hash] }) { return value }
        guard let value = try load() else { return nil }
        map.withLock { _ = $0.insert(value, for: hash) }
        return value
    }
}
