import SankofaPrimitives
import SankofaStorage
import SankofaTrie

/// How much history the node keeps.
public enum StateRetention: Sendable, Equatable {
    /// Every historical state stays readable (DESIGN.md "archive mode").
    case archive
    /// Only the states of the most recent `blocks` blocks stay readable; older trie nodes are pruned.
    case recent(blocks: UInt64)

    /// Besu and geth keep the last 128 states by default.
    public static let `default` = StateRetention.recent(blocks: 128)
}

/// Deletes trie nodes that no kept state root can reach (mark and sweep).
///
/// Nodes are content-addressed and shared between states, so a node may be deleted only once no kept root reaches
/// it; marking from the kept roots is the simplest rule that is obviously safe. Run it between block imports (never
/// concurrently with one): a block written during a sweep could re-insert a node the sweep is about to delete.
public struct StatePruner {
    public let store: any KeyValueStore

    public init(store: any KeyValueStore) { self.store = store }

    public struct Outcome: Sendable, Equatable {
        public let kept: Int
        public let deleted: Int
    }

    /// Applies a retention policy to the canonical chain: keeps the states of the last `blocks` canonical blocks
    /// up to the head and prunes the rest. Returns nil in archive mode (nothing to do).
    @discardableResult
    public func prune(chain: ChainStore, retention: StateRetention) throws -> Outcome? {
        guard case .recent(let blocks) = retention, let head = try chain.headHash(),
              let headHeader = try chain.header(head) else { return nil }
        let oldest = headHeader.number >= blocks ? headHeader.number - blocks + 1 : 0
        var roots: [Hash32] = []
        for number in oldest...headHeader.number {
            guard let hash = try chain.canonicalHash(number), let header = try chain.header(hash) else { continue }
            roots.append(header.stateRoot)
        }
        return try prune(keeping: roots)
    }

    /// Keeps every node reachable from `roots` (state roots: account tries and the storage tries they reference)
    /// and deletes all other trie nodes, in batches.
    @discardableResult
    public func prune(keeping roots: [Hash32]) throws -> Outcome {
        var marked = Set<Hash32>()
        for root in roots where root != MerklePatriciaTrie.emptyRoot {
            try mark(root, isAccountTrie: true, into: &marked)
        }
        var batch = WriteBatch()
        var deleted = 0
        try store.iterate(.trieNodes) { key, _ in
            if let hash = Hash32(bytes: key), marked.contains(hash) { return true }
            batch.delete(.trieNodes, key)
            deleted += 1
            if batch.count >= 10_000 {
                try store.write(batch, sync: false)
                batch = WriteBatch()
            }
            return true
        }
        try store.write(batch, sync: true)
        return Outcome(kept: marked.count, deleted: deleted)
    }

    /// Marks the node `hash` and everything below it; account-trie leaves lead on into storage tries.
    func mark(_ hash: Hash32, isAccountTrie: Bool, into marked: inout Set<Hash32>) throws {
        var pending: [(Hash32, Bool)] = [(hash, isAccountTrie)]
        while let (next, accounts) = pending.popLast() {
            guard marked.insert(next).inserted else { continue }
            guard let encoded = try store.get(.trieNodes, Schema.trieNodeKey(next)) else {
                throw TrieError.missingNode(next)
            }
            try visit(RLPItem.decode(encoded), accounts: accounts, pending: &pending)
        }
    }

    /// Collects the hashed children of a node (descending into children embedded inline) and, for account leaves,
    /// the storage root.
    func visit(_ node: RLPItem, accounts: Bool, pending: inout [(Hash32, Bool)]) throws {
        guard case .list(let items) = node else { return }
        switch items.count {
        case 17:
            for child in items.prefix(16) { try follow(child, accounts: accounts, pending: &pending) }
        case 2:
            guard case .bytes(let path) = items[0] else { return }
            let (_, isLeaf) = try HexPrefix.decode(path)
            if !isLeaf {
                try follow(items[1], accounts: accounts, pending: &pending)
            } else if accounts, case .bytes(let value) = items[1], let account = try? Account(rlp: value),
                      account.storageRoot != MerklePatriciaTrie.emptyRoot {
                pending.append((account.storageRoot, false))
            }
        default:
            return
        }
    }

    private func follow(_ child: RLPItem, accounts: Bool, pending: inout [(Hash32, Bool)]) throws {
        switch child {
        case .bytes(let reference) where reference.count == 32:
            if let hash = Hash32(bytes: reference) { pending.append((hash, accounts)) }
        case .list:
            try visit(child, accounts: accounts, pending: &pending)
        default:
            return
        }
    }
}
