import SankofaPrimitives
import SankofaStorage
import SankofaTrie

/// The outcome of committing a state: its root and everything that must be written for it to be readable.
public struct StateCommit: Sendable {
    public let root: Hash32
    /// Trie nodes and snapshot updates; write it in the same batch as the block that produced it.
    public let batch: WriteBatch
}

extension WorldState {
    /// Folds every change into the storage and account tries and returns the new state root with the writes that
    /// persist it. The root depends only on the final values, never on the order of writes. Afterwards the state
    /// continues from the new root (the caller must write `batch` before opening this root elsewhere).
    public func commit() throws -> StateCommit {
        var batch = WriteBatch()
        var accountsToWrite = dirtyAccounts

        // Storage first: each touched contract gets a new storage root.
        for (address, keys) in dirtyStorage.sorted(by: { $0.key < $1.key }) {
            var trie = try storageTrie(address)
            let addressHash = hash(address)
            for key in keys.sorted() {
                let value = storage[address]?[key] ?? []
                let slotHash = hash(slot: key)
                if value.isEmpty {
                    try trie.delete(hashedKey: slotHash)
                } else {
                    var writer = RLPWriter(capacity: value.count + 4)
                    writer.write(bytes: value)
                    try trie.update(hashedKey: slotHash, writer.bytes)
                }
                if usesSnapshot {
                    let flatKey = Schema.snapshotStorageKey(addressHash, slotHash)
                    if value.isEmpty { batch.delete(.snapshotStorage, flatKey) } else { batch.put(.snapshotStorage, flatKey, value) }
                }
            }
            let committed = trie.commit()
            for node in committed.nodes { batch.put(.trieNodes, Schema.trieNodeKey(node.hash), node.encoded) }
            storageTries[address] = trie
            var account = try self.account(address)
            if account.storageRoot != committed.root {
                account.storageRoot = committed.root
                accounts[address] = account
                accountsToWrite.insert(address)
            }
        }

        for address in accountsToWrite.sorted() {
            let account = try self.account(address)
            let addressHash = hash(address)
            if account.isEmpty && account.storageRoot == MerklePatriciaTrie.emptyRoot {
                try accountTrie.delete(hashedKey: addressHash)
                if usesSnapshot { batch.delete(.snapshotAccounts, Schema.snapshotAccountKey(addressHash)) }
            } else {
                let encoded = account.rlpEncoded
                try accountTrie.update(hashedKey: addressHash, encoded)
                if usesSnapshot { batch.put(.snapshotAccounts, Schema.snapshotAccountKey(addressHash), encoded) }
            }
        }
        let committed = accountTrie.commit()
        for node in committed.nodes { batch.put(.trieNodes, Schema.trieNodeKey(node.hash), node.encoded) }
        if usesSnapshot { batch.put(.metadata, Schema.snapshotRootKey, committed.root.bytes) }

        root = committed.root
        dirtyAccounts.removeAll(keepingCapacity: true)
        dirtyStorage.removeAll(keepingCapacity: true)
        journal.removeAll(keepingCapacity: true)
        epoch += 1
        return StateCommit(root: committed.root, batch: batch)
    }

    /// Builds the flat snapshot from the tries at this state's root (for a database whose snapshot is missing or
    /// stale, e.g. after a crash between snapshot generations) and switches this state to use it.
    public func rebuildSnapshot(into store: any KeyValueStore) throws {
        var batch = WriteBatch()
        try store.iterate(.snapshotAccounts) { key, _ in batch.delete(.snapshotAccounts, key); return true }
        try store.iterate(.snapshotStorage) { key, _ in batch.delete(.snapshotStorage, key); return true }
        // The secure trie's underlying keys are already keccak(address): walk it as a plain trie.
        var accountsTrie = MerklePatriciaTrie(root: root, reader: StoreTrieNodes(reader))
        var failure: Error?
        try accountsTrie.forEach { addressHash, encoded in
            batch.put(.snapshotAccounts, addressHash, encoded)
            do {
                let account = try Account(rlp: encoded)
                guard account.storageRoot != MerklePatriciaTrie.emptyRoot else { return true }
                var slots = MerklePatriciaTrie(root: account.storageRoot, reader: StoreTrieNodes(reader))
                try slots.forEach { slotHash, encodedValue in
                    var value = RLPReader(encodedValue)
                    batch.put(.snapshotStorage, addressHash + slotHash, Array(try value.readBytes()))
                    return true
                }
            } catch {
                failure = error
                return false
            }
            return true
        }
        if let failure { throw failure }
        batch.put(.metadata, Schema.snapshotRootKey, root.bytes)
        try store.write(batch, sync: true)
        usesSnapshot = true
    }
}
