/// The RocksDB column families, one per kind of data (DESIGN.md "Storage"). Separate families let each use
/// its own tuning and let pruning drop trie nodes without touching blocks.
public enum Column: String, CaseIterable, Sendable, Hashable {
    /// Chain markers and small settings (head, finalized, schema version).
    case metadata
    /// Block headers by hash.
    case headers
    /// Block bodies (transactions, ommers) by hash.
    case bodies
    /// Receipts per block hash.
    case receipts
    /// Canonical chain: block number → hash.
    case canonical
    /// Transaction hash → (block hash, index).
    case transactionLookup
    /// Merkle Patricia Trie nodes by hash (accounts and contract storage).
    case trieNodes
    /// Flat snapshot of the latest accounts: keccak(address) → account RLP.
    case snapshotAccounts
    /// Flat snapshot of the latest storage: keccak(address) ‖ keccak(slot) → value.
    case snapshotStorage

    /// RocksDB's name for the family; `metadata` lives in RocksDB's mandatory "default" family.
    public var familyName: String { self == .metadata ? "default" : rawValue }
}
