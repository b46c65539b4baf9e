import Foundation
import SankofaChain
import SankofaContracts
import SankofaCrypto
import SankofaPrimitives
import SankofaState
import SankofaStorage
import SankofaTestSupport
import SankofaTrie
import Testing
@testable import SankofaExecution

@Suite("Block executor")
struct BlockExecutorTests {
    static let admin = try! PrivateKey(hex: GenesisTests.devKeys[1])   // holds every role
    static let user = try! PrivateKey(hex: GenesisTests.devKeys[0])    // funded, no roles
    static let registry = ContractRegistry(Genesis.systemContracts())

    /// A fresh dev chain: genesis state and header.
    static func devChain() throws -> (WorldState, BlockHeader) {
        let chain = try ChainStore(store: MemoryStore())
        let genesis = try Genesis.initialize(try GenesisTests.devGenesis(), validators: GenesisTests.devValidators, chain: chain)
        return (try WorldState(reader: chain.store, root: genesis.header.stateRoot, snapshot: true), genesis.header)
    }

    static func calldata(_ contract: Address, _ name: String, _ args: [ABIValue]) throws -> [UInt8] {
        let function = try #require(registry.contract(at: contract)?.functions.first { $0.name == name })
        return function.selector + (try ABI.encode(args, as: function.inputs.map(\.type)))
    }

    static func tx(_ key: PrivateKey, nonce: UInt64, to: Address?, data: [UInt8] = [], value: UInt256 = .zero,
                   gas: UInt64 = 300_000) throws -> RecoveredTransaction {
        try Transaction.Payload.dynamicFee(DynamicFeeTransaction(
            chainId: 1337, nonce: nonce, maxPriorityFeePerGas: .zero, maxFeePerGas: .zero, gasLimit: gas, to: to,
            value: value, data: data, accessList: [])).signed(with: key).recovered()
    }

    static func header(after parent: BlockHeader) -> BlockHeader {
        BlockHeader(parentHash: parent.hash, coinbase: .zero, stateRoot: .zero, difficulty: UInt256(2),
                    number: parent.number + 1, gasLimit: 30_000_000, gasUsed: 0, timestamp: parent.timestamp + 1,
                    extraData: [], baseFeePerGas: .zero)
    }

    @Test func mixedBlockYieldsExpectedReceiptsAndReproducibleRoots() throws {
        let (state, genesis) = try Self.devChain()
        let did = Keccak256.hash(Array("did:sankofa:user".utf8))
        let candidates = [
            // Good: the user registers an identity (status 1, one log).
            try Self.tx(Self.user, nonce: 0, to: SystemAddresses.identityRegistry,
                        data: Self.calldata(SystemAddresses.identityRegistry, "registerIdentity", [.fixedBytes(did.bytes), .string("ipfs://u"), .fixedBytes(did.bytes)])),
            // Reverting: the user has no ADMIN role (status 0, no logs, gas charged, nonce consumed).
            try Self.tx(Self.user, nonce: 1, to: SystemAddresses.identityRegistry,
                        data: Self.calldata(SystemAddresses.identityRegistry, "grantRole", [.fixedBytes(Roles.operator.bytes), .address(Self.user.address)])),
            // Invalid: nonce 7 is not next.
            try Self.tx(Self.user, nonce: 7, to: Address(low: 0xbeef), value: .one),
            // Invalid: contract creation.
            try Self.tx(Self.admin, nonce: 0, to: nil, data: [0x60, 0x00]),
            // Good: a plain value transfer.
            try Self.tx(Self.admin, nonce: 0, to: Address(low: 0xbeef), value: UInt256(1_000)),
            // Invalid: more gas than the block has left.
            try Self.tx(Self.admin, nonce: 1, to: Address(low: 0xbeef), gas: 40_000_000),
        ]
        let header = Self.header(after: genesis)
        let built = try BlockExecutor(processor: TransactionProcessor(registry: Self.registry, chainId: 1337))
            .build(candidates, header: header, state: state)
        #expect(built.included.map(\.transaction.hash) == [candidates[0], candidates[1], candidates[4]].map(\.transaction.hash))
        let errors = built.rejected.map(\.error)
        #expect(errors.count == 3)
        #expect(errors[0] == .nonceMismatch(sender: Self.user.address, expected: 2, got: 7))
        #expect(errors[1] == .contractCreationNotSupported)
        if case .blockGasLimitExceeded = errors[2] {} else { Issue.record("expected a block gas error, got \(errors[2])") }

        let receipts = built.outcome.receipts
        #expect(receipts.map(\.succeeded) == [true, false, true])
        #expect(receipts[0].logs.count == 1 && receipts[0].logs[0].address == SystemAddresses.identityRegistry)
        #expect(receipts[1].logs.isEmpty)
        #expect(built.outcome.results[1].outcome.flatMap { ABI.decodeRevert($0.output) }?.contains("lacks role ADMIN") == true)
        #expect(receipts[2].cumulativeGasUsed - receipts[1].cumulativeGasUsed == 21_000)
        #expect(built.outcome.results[0].gasUsed > 21_000 && built.outcome.results[1].gasUsed > 21_000)
        #expect(try state.nonce(Self.user.address) == 2)
        #expect(try state.balance(Address(low: 0xbeef)) == UInt256(1_000))
        let root = try state.commit().root

        // A second, independent execution of the included transactions (the import path) agrees on everything.
        let (replay, _) = try Self.devChain()
        let executor = BlockExecutor(processor: TransactionProcessor(registry: Self.registry, chainId: 1337))
        let outcome = try executor.execute(built.included, header: header, state: replay)
        #expect(outcome.receipts == receipts)
        #expect(outcome.receiptsRoot == built.outcome.receiptsRoot && outcome.transactionsRoot == built.outcome.transactionsRoot)
        #expect(try replay.commit().root == root)

        // The import path refuses a block with an invalid transaction.
        let (strict, _) = try Self.devChain()
        #expect(throws: ExecutionError.self) { _ = try executor.execute(candidates, header: header, state: strict) }

        var sealed = header
        sealed.gasUsed = outcome.gasUsed
        sealed.transactionsRoot = outcome.transactionsRoot
        sealed.receiptsRoot = outcome.receiptsRoot
        sealed.logsBloom = outcome.logsBloom
        sealed.stateRoot = root
        try BlockExecutor.verify(sealed, against: outcome, stateRoot: root)
        sealed.gasUsed += 1
        #expect(throws: ExecutionError.self) { try BlockExecutor.verify(sealed, against: outcome, stateRoot: root) }
    }

    @Test func feesAndValueRespectBalances() throws {
        let (state, genesis) = try Self.devChain()
        let poor = try PrivateKey.generate()
        let processor = TransactionProcessor(registry: Self.registry, chainId: 1337)
        let block = BlockExecutor.context(of: Self.header(after: genesis), chainId: 1337)
        let broke = try Transaction.Payload.dynamicFee(DynamicFeeTransaction(
            chainId: 1337, nonce: 0, maxPriorityFeePerGas: .one, maxFeePerGas: UInt256(10), gasLimit: 21_000,
            to: Address(low: 1), value: .zero, data: [], accessList: [])).signed(with: poor).recovered()
        #expect(throws: ExecutionError.insufficientFunds(sender: poor.address, have: .zero, need: UInt256(210_000))) {
            _ = try processor.apply(broke, state: state, block: block, baseFee: .zero, gasAvailable: 30_000_000)
        }
        // A paid transaction: the sender pays gas × (base fee + tip); the tip goes to the coinbase.
        let paid = try Transaction.Payload.dynamicFee(DynamicFeeTransaction(
            chainId: 1337, nonce: 0, maxPriorityFeePerGas: UInt256(2), maxFeePerGas: UInt256(10), gasLimit: 21_000,
            to: Address(low: 1), value: UInt256(5), data: [], accessList: [])).signed(with: Self.user).recovered()
        let before = try state.balance(Self.user.address)
        let result = try processor.apply(paid, state: state, block: block, baseFee: UInt256(3), gasAvailable: 30_000_000)
        #expect(result.gasUsed == 21_000)
        #expect(try state.balance(Self.user.address) == before - UInt256(21_000 * 5 + 5))
        #expect(try state.balance(.zero) == UInt256(21_000 * 2))
        let wrongChain = try Transaction.Payload.dynamicFee(DynamicFeeTransaction(
            chainId: 1, nonce: 1, maxPriorityFeePerGas: .zero, maxFeePerGas: .zero, gasLimit: 21_000,
            to: Address(low: 1), value: .zero, data: [], accessList: [])).signed(with: Self.user).recovered()
        #expect(throws: ExecutionError.invalidTransaction(.wrongChainId(expected: 1337, got: 1))) {
            _ = try processor.apply(wrongChain, state: state, block: block, baseFee: .zero, gasAvailable: 30_000_000)
        }
    }
}

/// transactionsRoot against real blocks: the ordered trie of their transactions.
@Suite("Transactions root vectors", .enabled(if: VectorFiles.available))
struct TransactionsRootVectorTests {
    @Test(arguments: ["headers/rpc-blocks/testdata-from-rpc.json", "headers/goerli-clique/testdata-from-rpc-goerli.json",
                      "headers/goerli-clique/testdata-from-rpc-goerli-london.json"])
    func rootMatchesHeader(file: String) throws {
        let block = try #require(try VectorFiles.json(file) as? [String: Any])
        let txs = try #require(block["transactions"] as? [[String: Any]])
        #expect(!txs.isEmpty)
        let decoded = try txs.map(Self.transaction(fromRPC:))
        for (tx, json) in zip(decoded, txs) { #expect(tx.hash.hex == json["hash"] as? String) }
        #expect(BlockExecutor.transactionsRoot(decoded).hex == block["transactionsRoot"] as? String)
    }

    /// Rebuilds a signed transaction from `eth_getBlockByNumber`'s full-transaction JSON.
    static func transaction(fromRPC json: [String: Any]) throws -> Transaction {
        func number(_ key: String) throws -> UInt256 { try #require(UInt256(hex: json[key] as? String ?? "0x0")) }
        func small(_ key: String) throws -> UInt64 { try #require(try number(key).asUInt64) }
        let to = try (json["to"] as? String).map { try Address(hex: $0) }
        let data = fixtureBytes(json["input"] as? String ?? "0x")
        let type = try small("type")
        let v = try number("v")
        let list = try (json["accessList"] as? [[String: Any]] ?? []).map { entry in
            AccessListEntry(address: try Address(hex: entry["address"] as? String ?? ""),
                            storageKeys: try (entry["storageKeys"] as? [String] ?? []).map { try Hash32(hex: $0) })
        }
        switch type {
        case 0:
            let vSmall = try #require(v.asUInt64)
            let chainId: UInt64? = vSmall >= 35 ? (vSmall - 35) / 2 : nil
            let recoveryId = UInt8(vSmall >= 35 ? (vSmall - 35) % 2 : vSmall - 27)
            return Transaction(payload: .legacy(LegacyTransaction(
                nonce: try small("nonce"), gasPrice: try number("gasPrice"), gasLimit: try small("gas"), to: to,
                value: try number("value"), data: data, chainId: chainId)),
                signature: RecoverableSignature(r: try number("r"), s: try number("s"), recoveryId: recoveryId))
        case 1:
            return Transaction(payload: .accessList(AccessListTransaction(
                chainId: try small("chainId"), nonce: try small("nonce"), gasPrice: try number("gasPrice"),
                gasLimit: try small("gas"), to: to, value: try number("value"), data: data, accessList: list)),
                signature: RecoverableSignature(r: try number("r"), s: try number("s"), recoveryId: UInt8(try #require(v.asUInt64))))
        default:
            return Transaction(payload: .dynamicFee(DynamicFeeTransaction(
                chainId: try small("chainId"), nonce: try small("nonce"),
                maxPriorityFeePerGas: try number("maxPriorityFeePerGas"), maxFeePerGas: try number("maxFeePerGas"),
                gasLimit: try small("gas"), to: to, value: try number("value"), data: data, accessList: list)),
                signature: RecoverableSignature(r: try number("r"), s: try number("s"), recoveryId: UInt8(try #require(v.asUInt64))))
        }
    }
}

@Suite("Block builder resilience")
struct BlockBuilderResilienceTests {
    /// A transaction that breaks a state rule (here: the recipient's balance would overflow) is left out; the
    /// transactions around it still make the block, so one bad transaction cannot halt the chain.
    @Test func stateRuleViolationIsLeftOutNotFatal() throws {
        let sender = try PrivateKey.generate()
        let rich = Address(low: 0xF00D)
        let genesis = GenesisFile(chainId: 1337, consensus: .clique(blockPeriodSeconds: 0, epochLength: 30_000), timestamp: 0,
                                  extraData: [UInt8](repeating: 0, count: 97), gasLimit: 30_000_000, difficulty: .one,
                                  mixHash: .zero, nonce: 0, coinbase: .zero, baseFeePerGas: .zero,
                                  alloc: [sender.address: UInt256(100), rich: .max - UInt256(5)], roles: [:], board: [],
                                  threshold: 0, parameters: [:])
        let chain = try ChainStore(store: MemoryStore())
        let block = try Genesis.initialize(genesis, validators: GenesisTests.devValidators, chain: chain)
        let state = try WorldState(reader: chain.store, root: block.header.stateRoot, snapshot: true)
        func transfer(_ nonce: UInt64, to: Address, value: UInt64) throws -> RecoveredTransaction {
            try Transaction.Payload.dynamicFee(DynamicFeeTransaction(
                chainId: 1337, nonce: nonce, maxPriorityFeePerGas: .zero, maxFeePerGas: .zero, gasLimit: 21_000, to: to,
                value: UInt256(value), data: [], accessList: [])).signed(with: sender).recovered()
        }
        let candidates = [try transfer(0, to: Address(low: 1), value: 1), try transfer(1, to: rich, value: 10),
                          try transfer(1, to: Address(low: 2), value: 1)]
        let header = BlockExecutorTests.header(after: block.header)
        let built = try BlockExecutor(processor: TransactionProcessor(registry: SystemContracts.registry, chainId: 1337))
            .build(candidates, header: header, state: state)
        #expect(built.included.map(\.transaction.hash) == [candidates[0], candidates[2]].map(\.transaction.hash))
        guard case .stateRule(let reason)? = built.rejected.first?.error else {
            Issue.record("expected a state-rule rejection, got \(built.rejected)")
            return
        }
        #expect(reason.contains("overflow"))
        #expect(try state.balance(rich) == .max - UInt256(5))
        #expect(try state.balance(sender.address) == UInt256(98))
    }
}

/// The ordered roots (`rlp(index) → item`) against the general trie, at the sizes where the key order and length
/// change: none, one, the single-byte keys, index 0's `0x80`, and the two-byte keys from 128.
@Suite("Ordered roots")
struct OrderedRootTests {
    @Test(arguments: [0, 1, 2, 127, 128, 129, 300] as [Int])
    func matchTheGeneralTrie(count: Int) throws {
        var rng = SplitMix64(seed: UInt64(count))
        let items = (0..<count).map { _ in rng.bytes(1 + Int(rng.next() % 120)) }
        var trie = MerklePatriciaTrie(reader: InMemoryTrieNodes())
        for (index, item) in items.enumerated() {
            var key = RLPWriter(capacity: 9)
            key.write(UInt64(index))
            try trie.update(key.bytes, item)
        }
        #expect(BlockExecutor.orderedRoot(items) == trie.rootHash())
    }
}
