import Foundation
import SankofaChain
import SankofaContracts
import SankofaCrypto
import SankofaPrimitives
import SankofaState
import SankofaStorage
import SankofaTrie
import Testing
@testable import SankofaExecution

@Suite("Genesis")
struct GenesisTests {
    static let devFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Genesis/dev.json")

    static func devGenesis() throws -> GenesisFile { try GenesisFile(json: Data(contentsOf: devFile)) }

    /// The dev genesis's one Clique signer (its extraData's signer list; SankofaClique's tests check the parse).
    static let devValidators: [Address] = [try! Address(hex: "0x627306090abab3a6e1400e9345bc60c78a8bef57")]

    /// The well-known Besu dev keys whose accounts Genesis/dev.json funds.
    static let devKeys = [
        "0x8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63",
        "0xc87509a1c067bbde78beb793e6fa76530b6382a4c0241e5e4a9ec0a0f44dc0d3",
        "0xae6ae8e5ccbfb04590405997ee2d52d2b330726137b875053c36d94e974d162f",
    ]

    @Test func devGenesisParsesAndFundsTheDevKeys() throws {
        let file = try Self.devGenesis()
        #expect(file.chainId == 1337)
        #expect(file.consensus == .clique(blockPeriodSeconds: 0, epochLength: 30_000))
        for key in Self.devKeys {
            #expect(file.alloc[try PrivateKey(hex: key).address] == UInt256(hex: "0xad78ebc5ac6200000"))
        }
        #expect(file.board.count == 1 && file.threshold == 1)
        #expect(file.roles.count == 8)
    }

    /// Issue 18: a genesis differing from the stored chain only in `config.chainId` (which is not in the genesis
    /// hash) was accepted on existing data. Every config setting and genesis field is now checked, by name.
    @Test func aStoredChainRefusesAChangedGenesisNamingTheField() throws {
        let file = try Self.devGenesis()
        let chain = try ChainStore(store: MemoryStore())
        try Genesis.initialize(file, validators: Self.devValidators, chain: chain)
        func refusal(_ change: (inout GenesisFile) -> Void) -> String {
            var other = file
            change(&other)
            do {
                try Genesis.initialize(other, validators: Self.devValidators, chain: chain)
                return "accepted"
            } catch {
                return String(describing: error)
            }
        }
        #expect(refusal { $0.chainId = 4242 }.contains("config.chainId is 4242 in the file but 1337 in the database"))
        #expect(refusal { $0.consensus = .clique(blockPeriodSeconds: 9, epochLength: 30_000) }
            .contains("config.clique.blockperiodseconds is 9 in the file but"))
        #expect(refusal { $0.consensus = .qbft(.init()) }.contains("config.qbft.blockperiodseconds is 1 in the file but absent"))
        #expect(refusal { $0.timestamp += 1 }.contains("timestamp is"))
        #expect(refusal { $0.gasLimit = 1_000_000 }.contains("gasLimit is 1000000 in the file"))
        #expect(refusal { $0.alloc[Address(low: 1)] = .one }.contains("alloc or sankofa section"))
        #expect(refusal { _ in }.contains("accepted"))
    }

    /// A database created before the config was stored adopts the config of the first matching genesis it sees.
    @Test func anOlderDatabaseAdoptsTheConfigOnce() throws {
        let file = try Self.devGenesis()
        let chain = try ChainStore(store: MemoryStore())
        try Genesis.initialize(file, validators: Self.devValidators, chain: chain)
        try chain.store.delete(.metadata, Schema.chainConfigKey)
        try Genesis.initialize(file, validators: Self.devValidators, chain: chain)
        #expect(try chain.store.get(.metadata, Schema.chainConfigKey) == file.storedConfig)
        var other = file
        other.chainId = 7
        #expect(throws: GenesisError.storedChainMismatch(field: "config.chainId", stored: "1337", file: "7")) {
            try Genesis.initialize(other, validators: Self.devValidators, chain: chain)
        }
    }

    @Test func genesisIsStableAndSetsUpContracts() throws {
        let file = try Self.devGenesis()
        var hashes: Set<Hash32> = []
        for _ in 0..<2 {
            let state = try WorldState(reader: MemoryStore(), root: MerklePatriciaTrie.emptyRoot, snapshot: false)
            hashes.insert(try Genesis.build(file, validators: Self.devValidators, into: state).block.hash)
        }
        #expect(hashes.count == 1)

        let chain = try ChainStore(store: MemoryStore())
        let block = try Genesis.initialize(file, validators: Self.devValidators, chain: chain)
        #expect(try chain.headHash() == block.hash && hashes.contains(block.hash))
        #expect(try chain.finalizedHash() == block.hash)
        #expect(block.header.baseFeePerGas == .zero && block.header.number == 0)
        // Re-opening with the same genesis is fine; a different one is refused with a clear message.
        #expect(try Genesis.initialize(file, validators: Self.devValidators, chain: chain).hash == block.hash)
        var other = file
        other.chainId = 1338
        other.alloc[Address(low: 1)] = .one
        #expect(throws: GenesisError.self) { try Genesis.initialize(other, validators: Self.devValidators, chain: chain) }

        // Roles and the board are in the contracts' storage, read through the head state's snapshot.
        let state = try WorldState(reader: chain.store, root: block.header.stateRoot, snapshot: true)
        #expect(state.usesSnapshot)
        let admin = try Address(hex: "0x627306090abab3a6e1400e9345bc60c78a8bef57")
        let host = ContractHost(registry: ContractRegistry(Genesis.systemContracts()), storage: WorldStateContractStorage(state),
                                block: BlockContext(number: 1, timestamp: 1, coinbase: .zero, chainId: 1337),
                                origin: admin, gasLimit: 1_000_000, isStatic: true)
        for role in Roles.byName.values { #expect(try host.hasRole(role, admin)) }
        #expect(try !host.hasRole(Roles.admin, Address(low: 5)))
        #expect(try state.account(SystemAddresses.governance).nonce == 1)
    }
}
