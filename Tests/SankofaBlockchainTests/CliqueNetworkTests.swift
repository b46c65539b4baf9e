import Foundation
import SankofaBlockchain
import SankofaChain
import SankofaClique
import SankofaContracts
import SankofaCrypto
import SankofaExecution
import SankofaPrimitives
import SankofaState
import SankofaStorage
import Testing

/// Signers A, B and C (keys derived from their names), each with its own database, run Clique in-process: the
/// in-turn signer produces each block from its pool's transactions and the others import it.
final class InProcessNetwork {
    struct Member {
        let key: PrivateKey
        let store: any KeyValueStore
        let blockchain: Blockchain
    }

    let members: [Member]
    let genesis: GenesisFile
    let clock: ManualClock
    static let period: UInt64 = 1

    static func key(_ name: String) -> PrivateKey {
        // A name's keccak is a valid secp256k1 key for these labels.
        (try? PrivateKey(bytes: Keccak256.hash(Array(name.utf8)).bytes)) ?? (try! PrivateKey.generate())
    }

    static func genesis(signers: [Address], funded: [Address]) -> GenesisFile {
        var extraData = [UInt8](repeating: 0, count: 32)
        for signer in signers.sorted() { extraData += signer.bytes }
        extraData += [UInt8](repeating: 0, count: 65)
        return GenesisFile(chainId: 2026, consensus: .clique(blockPeriodSeconds: period, epochLength: 30_000),
                           timestamp: 1_700_000_000, extraData: extraData, gasLimit: 30_000_000, difficulty: .one,
                           mixHash: .zero, nonce: 0, coinbase: .zero, baseFeePerGas: .zero,
                           alloc: Dictionary(uniqueKeysWithValues: funded.map { ($0, UInt256(1_000_000)) }),
                           roles: [Roles.admin: funded], board: funded, threshold: 1, parameters: [:])
    }

    /// Opens (or reopens) each member's chain on the given stores.
    init(keys: [PrivateKey], stores: [any KeyValueStore], genesis: GenesisFile, clock: ManualClock? = nil) throws {
        self.genesis = genesis
        let clock = clock ?? ManualClock(genesis.timestamp)
        self.clock = clock
        members = try zip(keys, stores).map { key, store in
            let chain = try ChainStore(store: store)
            try Genesis.initialize(genesis, validators: try CliqueEngine.genesisValidators(genesis), chain: chain)
            // A manual clock lets tests produce blocks faster than real time.
            let engine = CliqueEngine(config: CliqueConfig(period: Self.period, epoch: 30_000), clock: { clock.now })
            let executor = BlockExecutor(processor: TransactionProcessor(registry: SystemContracts.registry, chainId: genesis.chainId))
            return Member(key: key, store: store, blockchain: try Blockchain(chain: chain, engine: engine, executor: executor))
        }
    }

    /// The member that may seal the next block soonest (in turn first), as the real producers would race.
    func nextProducer() async throws -> Member? {
        var best: (Member, Duration)?
        for member in members {
            if let delay = try await member.blockchain.sealDelay(for: member.key.address), delay < (best?.1 ?? .seconds(1_000)) {
                best = (member, delay)
            }
        }
        return best?.0
    }
}

/// Wall-clock seconds that tests advance by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var seconds: UInt64
    init(_ seconds: UInt64) { self.seconds = seconds }
    var now: UInt64 { lock.withLock { seconds } }
    func set(_ value: UInt64) { lock.withLock { seconds = value } }
}

@Suite("Clique network (in-process)")
struct CliqueNetworkTests {
    static let names = ["A", "B", "C"]
    static let user = InProcessNetwork.key("user")

    static func transfer(nonce: UInt64, chainId: UInt64) throws -> RecoveredTransaction {
        try Transaction.Payload.dynamicFee(DynamicFeeTransaction(
            chainId: chainId, nonce: nonce, maxPriorityFeePerGas: .zero, maxFeePerGas: .zero, gasLimit: 21_000,
            to: Address(low: 0xbeef), value: .one, data: [], accessList: [])).signed(with: user).recovered()
    }

    @Test func threeSignersProduceAndImportFiftyBlocksThenRestart() async throws {
        let keys = Self.names.map(InProcessNetwork.key)
        let genesis = InProcessNetwork.genesis(signers: keys.map(\.address), funded: [Self.user.address])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-clique-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var stores: [RocksDBStore] = try keys.indices.map { try RocksDBStore(path: directory.appendingPathComponent("node\($0)").path) }
        var network = try InProcessNetwork(keys: keys, stores: stores, genesis: genesis)
        var nonce: UInt64 = 0
        var producers: [Address: Int] = [:]
        for number in 1...50 as ClosedRange<UInt64> {
            let producer = try #require(try await network.nextProducer(), "nobody may seal block \(number)")
            let head = producer.blockchain.head
            network.clock.set(head.timestamp + InProcessNetwork.period)
            let txs = try (0..<3).map { _ in defer { nonce += 1 }; return try Self.transfer(nonce: nonce, chainId: genesis.chainId) }
            let produced = try await producer.blockchain.produceBlock(signer: producer.key, candidates: txs,
                                                                      timestamp: head.timestamp + InProcessNetwork.period)
            #expect(produced.block.number == number && produced.block.transactions.count == 3 && produced.rejected.isEmpty)
            producers[producer.key.address, default: 0] += 1
            for member in network.members where member.key != producer.key {
                #expect(try await member.blockchain.importBlock(produced.block) == .newHead(reorgDepth: 0))
            }
        }
        // Every signer took turns, and every member agrees on the head and its state.
        #expect(producers.count == 3 && producers.values.allSatisfy { $0 >= 15 })
        var heads: Set<Hash32> = []
        for member in network.members { heads.insert(member.blockchain.head.hash) }
        #expect(heads.count == 1)
        let head = network.members[0].blockchain.head
        let state = try WorldState(reader: network.members[0].store, root: head.stateRoot, snapshot: true)
        #expect(try state.balance(Address(low: 0xbeef)) == UInt256(150))
        #expect(try state.nonce(Self.user.address) == 150)

        // Restart: reopened databases resume from the stored head.
        for store in stores { store.close() }
        stores = try keys.indices.map { try RocksDBStore(path: directory.appendingPathComponent("node\($0)").path) }
        network = try InProcessNetwork(keys: keys, stores: stores, genesis: genesis, clock: ManualClock(head.timestamp + 1))
        for member in network.members { #expect(member.blockchain.head.hash == head.hash) }
        let producer = try #require(try await network.nextProducer())
        let next = try await producer.blockchain.produceBlock(signer: producer.key, candidates: [try Self.transfer(nonce: 150, chainId: genesis.chainId)],
                                                              timestamp: head.timestamp + 1)
        #expect(next.block.number == 51 && next.block.header.parentHash == head.hash)
        for store in stores { store.close() }
    }

    @Test func aLoneSignerOfTwoStallsAfterOneBlock() async throws {
        let keys = ["A", "B"].map(InProcessNetwork.key)
        let genesis = InProcessNetwork.genesis(signers: keys.map(\.address), funded: [])
        let network = try InProcessNetwork(keys: [keys[0]], stores: [MemoryStore()], genesis: genesis)
        let node = network.members[0]
        network.clock.set(genesis.timestamp + 10)
        // Two signers: each may sign only one of any two consecutive blocks (EIP-225's limit floor(2/2)+1 = 2).
        let first = try #require(try await node.blockchain.sealDelay(for: node.key.address), "A may seal block 1")
        let head = node.blockchain.head
        let produced = try await node.blockchain.produceBlock(signer: node.key, candidates: [], timestamp: head.timestamp + 1)
        #expect(produced.block.number == 1)
        let sortedSigners = keys.map(\.address).sorted()
        let inTurn = sortedSigners[1 % 2] == node.key.address
        #expect(produced.block.header.difficulty == (inTurn ? UInt256(2) : .one))
        #expect((first > .zero) == !inTurn)   // out of turn waits a wiggle
        #expect(try await node.blockchain.sealDelay(for: node.key.address) == nil)   // stalled: signed recently
        await #expect(throws: (any Error).self) {
            _ = try await node.blockchain.produceBlock(signer: node.key, candidates: [], timestamp: head.timestamp + 2)
        }
        #expect(node.blockchain.head.number == 1)
        // A block the producer planned on genesis is not built on block 1.
        await #expect(throws: ImportError.headMoved(expected: head.hash, head: produced.block.hash)) {
            _ = try await node.blockchain.sealBlock(signer: node.key, candidates: [], timestamp: head.timestamp + 2, on: head.hash)
        }
    }

    @Test func invalidBlocksAreRefusedAndChangeNothing() async throws {
        let keys = Self.names.map(InProcessNetwork.key)
        let genesis = InProcessNetwork.genesis(signers: keys.map(\.address), funded: [Self.user.address])
        let network = try InProcessNetwork(keys: keys, stores: keys.map { _ in MemoryStore() }, genesis: genesis)
        network.clock.set(genesis.timestamp + 1)
        let producer = try #require(try await network.nextProducer())
        let receiver = try #require(network.members.first { $0.key != producer.key })
        let head = producer.blockchain.head
        let good = try await producer.blockchain.produceBlock(signer: producer.key, candidates: [try Self.transfer(nonce: 0, chainId: 2026)],
                                                              timestamp: head.timestamp + 1).block
        // A tampered state root breaks the seal; a re-sealed block by a non-signer is unauthorised.
        var tampered = good
        tampered.header.stateRoot = Keccak256.hash([1] as [UInt8])
        await #expect(throws: ImportError.self) { try await receiver.blockchain.importBlock(tampered) }
        let outsider = InProcessNetwork.key("mallory")
        let forged = Block(header: try CliqueEngine(config: CliqueConfig(period: 1, epoch: 30_000)).seal(tampered.header, with: outsider),
                           transactions: good.transactions)
        await #expect(throws: ImportError.self) { try await receiver.blockchain.importBlock(forged) }
        // Wrong transactions for the header's roots.
        var swapped = good
        swapped.transactions = [try Self.transfer(nonce: 1, chainId: 2026).transaction]
        await #expect(throws: ImportError.self) { try await receiver.blockchain.importBlock(swapped) }
        var orphan = good
        orphan.header.parentHash = Keccak256.hash([9] as [UInt8])
        await #expect(throws: ImportError.self) { try await receiver.blockchain.importBlock(orphan) }
        #expect(receiver.blockchain.head.number == 0)
        #expect(try await receiver.blockchain.importBlock(good) == .newHead(reorgDepth: 0))
        #expect(try await receiver.blockchain.importBlock(good) == .alreadyKnown)
    }

    @Test func heavierBranchReorganisesTheChain() async throws {
        let keys = Self.names.map(InProcessNetwork.key)
        let genesis = InProcessNetwork.genesis(signers: keys.map(\.address), funded: [Self.user.address])
        let network = try InProcessNetwork(keys: keys, stores: keys.map { _ in MemoryStore() }, genesis: genesis)
        let sorted = keys.map(\.address).sorted()
        func member(_ address: Address) throws -> InProcessNetwork.Member { try #require(network.members.first { $0.key.address == address }) }
        // Block 1's in-turn signer is sorted[1]; an out-of-turn block by sorted[2] (difficulty 1) loses to it.
        network.clock.set(genesis.timestamp + 1)
        let inTurn = try member(sorted[1]), outOfTurn = try member(sorted[2]), observer = try member(sorted[0])
        let genesisHead = observer.blockchain.head
        let weak = try await outOfTurn.blockchain.produceBlock(signer: outOfTurn.key, candidates: [try Self.transfer(nonce: 0, chainId: 2026)],
                                                               timestamp: genesisHead.timestamp + 1).block
        let strong = try await inTurn.blockchain.produceBlock(signer: inTurn.key, candidates: [],
                                                              timestamp: genesisHead.timestamp + 1).block
        #expect(weak.header.difficulty == .one && strong.header.difficulty == UInt256(2))
        #expect(try await observer.blockchain.importBlock(weak) == .newHead(reorgDepth: 0))
        let events = await observer.blockchain.headEvents()
        #expect(try await observer.blockchain.importBlock(strong) == .newHead(reorgDepth: 1))
        var iterator = events.makeAsyncIterator()
        let event = try #require(await iterator.next())
        #expect(event.block.hash == strong.hash && event.removed.map(\.hash) == [weak.hash])
        let chain = try ChainStore(store: observer.store)
        #expect(try chain.canonicalHash(1) == strong.hash)
        #expect(try chain.transactionLocation(weak.transactions[0].hash) == nil)
        // The head state (rebuilt snapshot) no longer has the weak block's transfer.
        let state = try WorldState(reader: observer.store, root: strong.header.stateRoot, snapshot: true)
        #expect(state.usesSnapshot)
        #expect(try state.balance(Address(low: 0xbeef)) == .zero)
    }
}
