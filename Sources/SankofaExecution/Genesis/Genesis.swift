import SankofaChain
import SankofaContracts
import SankofaPrimitives
import SankofaState
import SankofaStorage
import SankofaTrie

/// Builds the genesis block and state: allocations, system-contract accounts and their initial storage (roles,
/// board, threshold, validators, parameters). The same file always gives the same genesis hash.
public enum Genesis {
    /// The system contracts every Sankofa chain runs, in address order.
    public static func systemContracts() -> [any SystemContract] { SystemContracts.all }

    /// Applies genesis to `state` (which must be empty) and returns the genesis block with the state commit that
    /// persists it. `validators` is the initial validator set as the consensus engine reads it from the genesis
    /// extraData; Governance keeps it for validator-set proposals.
    public static func build(_ file: GenesisFile, validators: [Address],
                             into state: WorldState) throws -> (block: Block, state: StateCommit) {
        for (address, balance) in file.alloc.sorted(by: { $0.key < $1.key }) {
            try state.addBalance(address, balance)
        }
        let storage = WorldStateContractStorage(state)
        for contract in systemContracts() {
            // A nonce marks the account as existing even before it stores anything.
            try state.setNonce(contract.address, 1)
        }
        try IdentityRegistry.initialize(GenesisSlots(storage: storage, contract: SystemAddresses.identityRegistry),
                                        roles: file.roles)
        try Governance.initialize(GenesisSlots(storage: storage, contract: SystemAddresses.governance),
                                  board: file.board, threshold: file.threshold, validators: validators,
                                  parameters: file.parameters)
        let commit = try state.commit()
        let header = BlockHeader(
            parentHash: .zero, coinbase: file.coinbase, stateRoot: commit.root, difficulty: file.difficulty, number: 0,
            gasLimit: file.gasLimit, gasUsed: 0, timestamp: file.timestamp, extraData: file.extraData,
            mixHash: file.mixHash, nonce: file.nonce, baseFeePerGas: file.baseFeePerGas)
        return (Block(header: header, transactions: []), commit)
    }

    /// Writes genesis into an empty chain store — block, state, snapshot and head in one batch, with the chain
    /// config beside it — or, if the store already holds a chain, checks that this file gives the same config and
    /// genesis block, naming the first field that differs.
    @discardableResult
    public static func initialize(_ file: GenesisFile, validators: [Address], chain: ChainStore) throws -> Block {
        if let existing = try chain.canonicalHash(0) {
            let storedConfig = try chain.store.get(.metadata, Schema.chainConfigKey)
            if let storedConfig, let difference = file.configDifference(from: storedConfig) {
                throw GenesisError.storedChainMismatch(field: difference.field, stored: difference.stored, file: difference.file)
            }
            let state = try WorldState(reader: MemoryStore(), root: MerklePatriciaTrie.emptyRoot, snapshot: false)
            let expected = try build(file, validators: validators, into: state).block
            guard existing == expected.hash else {
                if let stored = try chain.canonicalHeader(0), let difference = headerDifference(stored, expected.header) {
                    throw GenesisError.storedChainMismatch(field: difference.field, stored: difference.stored, file: difference.file)
                }
                throw GenesisError.differentChain(stored: existing, file: expected.hash)
            }
            // A database from before the config was stored adopts this file's, now that its genesis block matches.
            if storedConfig == nil { try chain.store.put(.metadata, Schema.chainConfigKey, file.storedConfig) }
            return expected
        }
        try chain.store.put(.metadata, Schema.chainConfigKey, file.storedConfig)
        // An empty database's (empty) snapshot mirrors the empty root, so genesis state goes into it as it is built.
        try chain.store.put(.metadata, Schema.snapshotRootKey, MerklePatriciaTrie.emptyRoot.bytes)
        let state = try WorldState(reader: chain.store, root: MerklePatriciaTrie.emptyRoot, snapshot: true)
        let (block, commit) = try build(file, validators: validators, into: state)
        try chain.commit(block, receipts: [], state: commit, makeHead: true, finalized: true)
        return block
    }

    /// The first genesis-file field in which two genesis headers differ, named as in the file.
    static func headerDifference(_ stored: BlockHeader, _ file: BlockHeader) -> (field: String, stored: String, file: String)? {
        let fields: [(String, String, String)] = [
            ("timestamp", String(stored.timestamp), String(file.timestamp)),
            ("extraData", Hex.encode(stored.extraData), Hex.encode(file.extraData)),
            ("gasLimit", String(stored.gasLimit), String(file.gasLimit)),
            ("difficulty", stored.difficulty.description, file.difficulty.description),
            ("mixHash", stored.mixHash.hex, file.mixHash.hex),
            ("nonce", String(stored.nonce), String(file.nonce)),
            ("coinbase", stored.coinbase.hex, file.coinbase.hex),
            ("baseFeePerGas", stored.baseFeePerGas?.description ?? "absent", file.baseFeePerGas?.description ?? "absent"),
            ("alloc or sankofa section (genesis state root)", stored.stateRoot.hex, file.stateRoot.hex),
        ]
        return fields.first { $0.1 != $0.2 }.map { (field: $0.0, stored: $0.1, file: $0.2) }
    }
}
