import SankofaPrimitives
import SankofaStorage
import SankofaTrie

/// Why a state operation failed.
public enum StateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A stored account does not decode: the database is damaged.
    case corruptAccount(Address, RLPError)
    /// A stored storage value does not decode: the database is damaged.
    case corruptStorage(Address, Hash32)
    /// A debit larger than the balance.
    case insufficientBalance(Address, have: UInt256, need: UInt256)
    /// A credit that would overflow 256 bits.
    case balanceOverflow(Address)
    /// A revert to a checkpoint that is no longer valid (already reverted past, or from before a commit).
    case staleCheckpoint

    public var description: String {
        switch self {
        case .corruptAccount(let a, let e): "stored account \(a) is corrupt: \(e)"
        case .corruptStorage(let a, let k): "stored storage slot \(k) of \(a) is corrupt"
        case .insufficientBalance(let a, let have, let need): "insufficient balance in \(a): have \(have), need \(need)"
        case .balanceOverflow(let a): "balance of \(a) would overflow"
        case .staleCheckpoint: "state checkpoint is no longer valid"
        }
    }
}

/// The world state at one root, open for reading and writing during block execution.
///
/// Reads go through an in-memory cache, then the flat snapshot (O(1) lookups of the latest state, only when this
/// state sits on the snapshot's root), then the secure tries. Writes stay in memory and are journaled so a failing
/// call can be rolled back to a checkpoint; `commit()` folds them into the tries and returns the new root with one
/// `WriteBatch` of trie nodes and snapshot updates, which the caller writes together with the block.
///
/// Not thread-safe: one block executes on one task.
public final class WorldState {
    let reader: any KeyValueReader
    /// The root this state was opened at, or last committed to.
    public internal(set) var root: Hash32
    /// Whether reads may use, and commits must maintain, the flat snapshot.
    public internal(set) var usesSnapshot: Bool

    var accountTrie: SecureTrie
    var storageTries: [Address: SecureTrie] = [:]
    /// Accounts read or written since opening; absent accounts are cached as `.empty`.
    var accounts: [Address: Account] = [:]
    var storage: [Address: [Hash32: [UInt8]]] = [:]
    var dirtyAccounts: Set<Address> = []
    var dirtyStorage: [Address: Set<Hash32>] = [:]
    var journal: [JournalEntry] = []
    /// keccak256 of every address and slot touched, hashed once: a slot's hash keys its snapshot entry on load and
    /// again on commit, where it is also the trie path. Grows with the caches above.
    var addressHashes: [Address: Hash32] = [:]
    var slotHashes: [Hash32: Hash32] = [:]
    /// Bumped on every commit so checkpoints from before it are refused.
    var epoch = 0

    /// Opens the state at `root`. With `snapshot` the flat snapshot is used if (and only if) it mirrors `root`:
    /// pass true for the head state, false for historical reads.
    public init(reader: any KeyValueReader, root: Hash32, snapshot: Bool) throws {
        self.reader = reader
        self.root = root
        self.accountTrie = SecureTrie(root: root, reader: StoreTrieNodes(reader))
        if snapshot, let mirrored = try reader.get(.metadata, Schema.snapshotRootKey) {
            usesSnapshot = Hash32(bytes: mirrored) == root
        } else {
            usesSnapshot = false
        }
    }

    // MARK: Accounts

    /// The account at `address` (`.empty` if it does not exist).
    public func account(_ address: Address) throws -> Account {
        if let cached = accounts[address] { return cached }
        let loaded = try loadAccount(address) ?? .empty
        accounts[address] = loaded
        return loaded
    }

    /// Replaces the account at `address`, journaled.
    public func setAccount(_ address: Address, _ account: Account) throws {
        let previous = try self.account(address)
        journal.append(.account(address, previous: previous))
        accounts[address] = account
        dirtyAccounts.insert(address)
    }

    public func balance(_ address: Address) throws -> UInt256 { try account(address).balance }
    public func nonce(_ address: Address) throws -> UInt64 { try account(address).nonce }

    /// Credits `amount`, refusing to overflow.
    public func addBalance(_ address: Address, _ amount: UInt256) throws {
        var account = try self.account(address)
        guard let sum = account.balance.checkedAdd(amount) else { throw StateError.balanceOverflow(address) }
        account.balance = sum
        try setAccount(address, account)
    }

    /// Debits `amount`, refusing to go below zero.
    public func subtractBalance(_ address: Address, _ amount: UInt256) throws {
        var account = try self.account(address)
        guard let rest = account.balance.checkedSub(amount) else {
            throw StateError.insufficientBalance(address, have: account.balance, need: amount)
        }
        account.balance = rest
        try setAccount(address, account)
    }

    /// Sets the nonce (the executor increments it once per transaction).
    public func setNonce(_ address: Address, _ nonce: UInt64) throws {
        var account = try self.account(address)
        account.nonce = nonce
        try setAccount(address, account)
    }

    // MARK: Storage

    /// The value stored under `key` in `address`'s storage; empty if unset. System contracts store arbitrary-length
    /// byte strings here (usually RLP).
    public func storage(_ address: Address, _ key: Hash32) throws -> [UInt8] {
        if let cached = storage[address]?[key] { return cached }
        let loaded = try loadStorage(address, key)
        storage[address, default: [:]][key] = loaded
        return loaded
    }

    /// Sets a storage value, journaled; an empty value deletes the slot.
    public func setStorage(_ address: Address, _ key: Hash32, _ value: [UInt8]) throws {
        let previous = try storage(address, key)
        journal.append(.storage(address, key, previous: previous))
        storage[address, default: [:]][key] = value
        dirtyStorage[address, default: []].insert(key)
    }

    // MARK: Loading

    func loadAccount(_ address: Address) throws -> Account? {
        let encoded: [UInt8]?
        if usesSnapshot {
            encoded = try reader.get(.snapshotAccounts, Schema.snapshotAccountKey(hash(address)))
        } else {
            encoded = try accountTrie.get(address.bytes)
        }
        guard let encoded else { return nil }
        do {
            return try Account(rlp: encoded)
        } catch {
            throw StateError.corruptAccount(address, error)
        }
    }

    func loadStorage(_ address: Address, _ key: Hash32) throws -> [UInt8] {
        if usesSnapshot {
            let flatKey = Schema.snapshotStorageKey(hash(address), hash(slot: key))
            return try reader.get(.snapshotStorage, flatKey) ?? []
        }
        var trie = try storageTrie(address)
        defer { storageTries[address] = trie }
        guard let encoded = try trie.get(key.bytes) else { return [] }
        var slot = RLPReader(encoded)
        do {
            let value = Array(try slot.readBytes())
            try slot.finish()
            return value
        } catch {
            throw StateError.corruptStorage(address, key)
        }
    }

    /// keccak256(address), remembered.
    func hash(_ address: Address) -> Hash32 {
        if let known = addressHashes[address] { return known }
        let hash = Keccak256.hash(address.bytes)
        addressHashes[address] = hash
        return hash
    }

    /// keccak256(slot), remembered.
    func hash(slot: Hash32) -> Hash32 {
        if let known = slotHashes[slot] { return known }
        let hash = Keccak256.hash(slot.bytes)
        slotHashes[slot] = hash
        return hash
    }

    /// The storage trie of `address`, opened at its current storage root on first use.
    func storageTrie(_ address: Address) throws -> SecureTrie {
        if let open = storageTries[address] { return open }
        let root = try loadAccount(address)?.storageRoot ?? MerklePatriciaTrie.emptyRoot
        return SecureTrie(root: root, reader: StoreTrieNodes(reader))
    }
}
