import SankofaPrimitives
import SankofaTrie

/// A Merkle proof of one account and some of its storage slots, shaped as `eth_getProof` returns it (EIP-1186).
public struct AccountProof: Sendable, Equatable {
    public struct StorageProof: Sendable, Equatable {
        public let key: Hash32
        /// The slot's value; empty when the slot is unset (then `proof` proves its absence).
        public let value: [UInt8]
        /// RLP of each storage-trie node from the account's storage root toward the slot.
        public let proof: [[UInt8]]

        public init(key: Hash32, value: [UInt8], proof: [[UInt8]]) {
            self.key = key
            self.value = value
            self.proof = proof
        }
    }

    public let address: Address
    /// RLP of each account-trie node from the state root toward the account.
    public let accountProof: [[UInt8]]
    public let account: Account
    public let storageProofs: [StorageProof]

    public init(address: Address, accountProof: [[UInt8]], account: Account, storageProofs: [StorageProof]) {
        self.address = address
        self.accountProof = accountProof
        self.account = account
        self.storageProofs = storageProofs
    }
}

extension WorldState {
    /// Proves `address` and the given storage `slots` against this state's committed root. Uncommitted changes are
    /// not included: commit first (RPC proves states of imported blocks, which are always committed).
    public func proof(_ address: Address, slots: [Hash32]) throws -> AccountProof {
        var accounts = SecureTrie(root: root, reader: StoreTrieNodes(reader))
        let accountProof = try accounts.proof(address.bytes)
        let account = try accounts.get(address.bytes).map { try Account(rlp: $0) } ?? .empty
        var storageTrie = SecureTrie(root: account.storageRoot, reader: StoreTrieNodes(reader))
        var storageProofs: [AccountProof.StorageProof] = []
        for slot in slots {
            let proof = try storageTrie.proof(slot.bytes)
            var value: [UInt8] = []
            if let encoded = try storageTrie.get(slot.bytes) {
                var item = RLPReader(encoded)
                value = Array(try item.readBytes())
            }
            storageProofs.append(AccountProof.StorageProof(key: slot, value: value, proof: proof))
        }
        return AccountProof(address: address, accountProof: accountProof, account: account, storageProofs: storageProofs)
    }
}

extension AccountProof {
    /// Checks every proof against `stateRoot` alone, as a light client does: the account proof must prove exactly
    /// `account` (or its absence when empty), and each storage proof its value under the account's storage root.
    public func verify(stateRoot: Hash32) throws -> Bool {
        try AccountProof(proving: address, accountPath: accountProof, slots: storageProofs.map(\.key),
                         slotPaths: storageProofs.map(\.proof), stateRoot: stateRoot) == self
    }
}

extension AccountProof {
    /// Reads an account and its slots out of bare proof paths, each checked against `stateRoot`, as a light client
    /// must: the values come from the proof, never from the server's word. Throws when a path does not lead from
    /// the root to its key (a missing, altered or foreign node).
    public init(proving address: Address, accountPath: [[UInt8]], slots: [Hash32], slotPaths: [[[UInt8]]],
                stateRoot: Hash32) throws {
        guard slots.count == slotPaths.count else { throw TrieError.invalidProof("\(slotPaths.count) slot proofs for \(slots.count) slots") }
        let account = try SecureTrie.verifyProof(root: stateRoot, key: address.bytes, proof: accountPath)
            .map { try Account(rlp: $0) } ?? .empty
        var storageProofs: [StorageProof] = []
        for (slot, path) in zip(slots, slotPaths) {
            var value: [UInt8] = []
            if let encoded = try SecureTrie.verifyProof(root: account.storageRoot, key: slot.bytes, proof: path) {
                var item = RLPReader(encoded)
                value = Array(try item.readBytes())
                try item.finish()
            }
            storageProofs.append(StorageProof(key: slot, value: value, proof: path))
        }
        self.init(address: address, accountProof: accountPath, account: account, storageProofs: storageProofs)
    }
}
