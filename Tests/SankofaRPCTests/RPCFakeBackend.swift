import Foundation
import SankofaChain
import SankofaContracts
import SankofaCrypto
import SankofaJSON
import SankofaPrimitives
@testable import SankofaRPC
@testable import SankofaState  // TransactionLocation and AccountProof have no public initialisers

/// A value behind a lock: the fake's mutable parts (NSLock rather than `Mutex`, which needs macOS 15).
final class RPCLocked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    @discardableResult
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    var current: Value { withLock { $0 } }
}

/// The fixed world the fake backend serves. Every number here is chosen so tests can spell the expected JSON by hand.
enum RPCFixture {
    static let chainId: UInt64 = 2024                       // 0x7e8
    static let key = try! PrivateKey(hex: "0x" + String(repeating: "11", count: 32))
    static let otherKey = try! PrivateKey(hex: "0x" + String(repeating: "22", count: 32))
    static let sender = key.address
    /// Stands in for a system contract (isSystemContract is true for it; calls to it are scripted).
    static let contract = Address(low: 0x1001)
    static let contract2 = Address(low: 0x1002)
    /// A plain account (no code).
    static let recipient = Address(low: 0xbeef)
    static let signerA = Address(low: 0xa1)
    static let signerB = Address(low: 0xb2)
    /// `account(_:at:)` throws a plain error for this address (→ -32603).
    static let failingAddress = Address(low: 0xdead)
    /// `account(_:at:)` throws an `RPCErrorConvertible` for this address (→ its own code).
    static let limitedAddress = Address(low: 0xdeaf)

    static let baseFee = UInt256(7)
    static let gasLimit: UInt64 = 30_000_000               // 0x1c9c380
    static let genesisTime: UInt64 = 1_700_000_000         // 0x6553f100, then +5 s per block
    static let vanity: [UInt8] = [UInt8](repeating: 0, count: 31) + [0x5a]

    static let topicTransfer = Keccak256.hash(Array("Transfer(address,address,uint256)".utf8))
    static let topicApproval = Keccak256.hash(Array("Approval(address,address,uint256)".utf8))
    static let topicMinted = Keccak256.hash(Array("Minted(uint256)".utf8))
    static let topicAlice = word(Address(low: 0xa11ce))
    static let topicBob = word(Address(low: 0xb0b))
    static func word(_ address: Address) -> Hash32 { Hash32(bytes: [UInt8](repeating: 0, count: 12) + address.bytes)! }
    static func slot(_ n: UInt32) -> Hash32 { Hash32(bytes: UInt256(UInt64(n)).bigEndianBytes)! }

    // Scripted calls to `contract`, by selector.
    static let selectorOK: [UInt8] = [0xaa, 0xbb, 0xcc, 0xdd]          // output: word 42, 5_000 gas
    static let selectorRevert: [UInt8] = [0xde, 0xad, 0xbe, 0xef]      // revert("not authorized")
    static let selectorOutOfGas: [UInt8] = [0x0b, 0xad, 0xf0, 0x0d]    // out of gas, no output
    static let selectorCustomError: [UInt8] = [0xc0, 0xff, 0xee, 0x00] // revert with non-Error(string) data
    static let revertReason = "not authorized"
    static let customErrorData: [UInt8] = [0x12, 0x34, 0x56, 0x78]
    static let okOutput: [UInt8] = [UInt8](repeating: 0, count: 31) + [0x2a]
    static let okGas: UInt64 = 5_000

    /// Storage of `contract` from block 1 on: slot 0 holds a short value, slot 1 a 40-byte record.
    static let slot0Value: [UInt8] = [0x2a]
    static let slot1Value: [UInt8] = [UInt8](repeating: 0x11, count: 40)

    static let oneEther = UInt256(decimal: "1000000000000000000")!   // 0xde0b6b3a7640000
    static let twoEther = UInt256(decimal: "2000000000000000000")!   // 0x1bc16d674ec80000

    /// A signed EIP-1559 transaction.
    static func transaction(nonce: UInt64, to: Address?, value: UInt256 = .zero, data: [UInt8] = [], gas: UInt64,
                            maxFee: UInt256, tip: UInt256, accessList: AccessList = [], key: PrivateKey = key,
                            chainId: UInt64 = chainId) -> Transaction {
        Transaction.Payload.dynamicFee(DynamicFeeTransaction(
            chainId: chainId, nonce: nonce, maxPriorityFeePerGas: tip, maxFeePerGas: maxFee, gasLimit: gas, to: to,
            value: value, data: data, accessList: accessList)).signed(with: key)
    }

    /// Block 1, tx 0: a call to `contract` emitting two logs.
    static let tx0 = transaction(nonce: 0, to: contract, data: selectorOK + [0x00, 0x2a], gas: 100_000, maxFee: 10, tip: 2)
    /// Block 1, tx 1: a call to `contract2` with an access list, emitting one log.
    static let tx1 = transaction(nonce: 1, to: contract2, data: [0x01], gas: 50_000, maxFee: 8, tip: 5,
                                 accessList: [AccessListEntry(address: contract2, storageKeys: [slot(1)])])
    /// Block 2, tx 0: a value transfer whose receipt says it failed.
    static let tx2 = transaction(nonce: 2, to: recipient, value: 1_000, gas: 21_000, maxFee: 7, tip: 0)

    static let log0 = Log(address: contract, topics: [topicTransfer, topicAlice], data: [0x01])
    static let log1 = Log(address: contract, topics: [topicApproval], data: [])
    static let log2 = Log(address: contract2, topics: [topicTransfer, topicBob], data: [0xff, 0x00])

    static let receipt0 = Receipt(type: .dynamicFee, succeeded: true, cumulativeGasUsed: 30_000, logs: [log0, log1])
    static let receipt1 = Receipt(type: .dynamicFee, succeeded: true, cumulativeGasUsed: 51_000, logs: [log2])
    static let receipt2 = Receipt(type: .dynamicFee, succeeded: false, cumulativeGasUsed: 21_000, logs: [])

    /// A header on top of `parent` whose bloom and gas match its receipts; the hash is keccak of its real RLP.
    static func block(number: UInt64, parent: Hash32, transactions: [Transaction], receipts: [Receipt],
                      salt: UInt8 = 0) -> Block {
        var bloom = Bloom()
        for receipt in receipts { bloom.formUnion(receipt.logsBloom) }
        let header = BlockHeader(
            parentHash: parent, coinbase: .zero, stateRoot: Keccak256.hash(Array("state \(number) \(salt)".utf8)),
            transactionsRoot: transactions.isEmpty ? BlockHeader.emptyTrieRoot : Keccak256.hash(Array("txs \(number)".utf8)),
            receiptsRoot: receipts.isEmpty ? BlockHeader.emptyTrieRoot : Keccak256.hash(Array("receipts \(number)".utf8)),
            logsBloom: bloom, difficulty: 2, number: number, gasLimit: gasLimit,
            gasUsed: receipts.last?.cumulativeGasUsed ?? 0, timestamp: genesisTime + 5 * number, extraData: vanity,
            baseFeePerGas: baseFee)
        return Block(header: header, transactions: transactions)
    }
}

/// A plain lower-layer failure (mapped to -32603).
struct RPCFakeFailure: Error, CustomStringConvertible {
    var description: String { "disk on fire" }
}

/// A lower-layer failure that knows its JSON-RPC form.
struct RPCFakeLimitError: RPCErrorConvertible {
    var rpcError: RPCError { RPCError(code: -32005, message: "limit exceeded") }
}

/// An in-memory backend for all five RPC protocols (plus health): blocks 0–2 built in code, state by block, scripted
/// calls, a small pool, Clique signers. Deterministic; tests extend the chain with `appendBlock`.
final class RPCFakeBackend: ChainQueries, StateQueries, TransactionSubmitter, NodeQueries, ConsensusAdmin, HealthProvider {
    struct ChainData {
        var canonical: [Block] = []
        var byHash: [Hash32: Block] = [:]
        var receipts: [Hash32: [Receipt]] = [:]
        var locations: [Hash32: TransactionLocation] = [:]
    }

    struct PoolData {
        var pending: [Address: [RecoveredTransaction]] = [:]
        var queued: [Address: [RecoveredTransaction]] = [:]
        var byHash: [Hash32: RecoveredTransaction] = [:]
    }

    let chainData = RPCLocked(ChainData())
    let pool = RPCLocked(PoolData())
    /// Account versions: the account as of each block number (the newest version at or below a block applies).
    let accounts = RPCLocked([Address: [(from: UInt64, account: Account)]]())
    let storageSlots = RPCLocked([Address: [(from: UInt64, slots: [Hash32: [UInt8]])]]())
    let proposalVotes = RPCLocked([Address: Bool]())
    let ready = RPCLocked(true)
    /// The last simulated call and the block it ran against.
    let lastCall = RPCLocked<(request: CallRequest, block: UInt64)?>(nil)
    let updateSinks = RPCLocked([UUID: AsyncStream<ChainUpdate>.Continuation]())
    let pendingSinks = RPCLocked([UUID: AsyncStream<Hash32>.Continuation]())
    /// How long `updates()` takes before it is subscribed (models the actor hop of the real backend).
    let updatesDelay: Duration?

    init(updatesDelay: Duration? = nil) {
        self.updatesDelay = updatesDelay
        let genesis = RPCFixture.block(number: 0, parent: .zero, transactions: [], receipts: [])
        let block1 = RPCFixture.block(number: 1, parent: genesis.hash, transactions: [RPCFixture.tx0, RPCFixture.tx1],
                                      receipts: [RPCFixture.receipt0, RPCFixture.receipt1])
        let block2 = RPCFixture.block(number: 2, parent: block1.hash, transactions: [RPCFixture.tx2],
                                      receipts: [RPCFixture.receipt2])
        store(genesis, receipts: [])
        store(block1, receipts: [RPCFixture.receipt0, RPCFixture.receipt1])
        store(block2, receipts: [RPCFixture.receipt2])
        accounts.withLock {
            $0[RPCFixture.sender] = [(0, Account(nonce: 0, balance: RPCFixture.twoEther)),
                                     (1, Account(nonce: 2, balance: RPCFixture.twoEther - UInt256(1_000))),
                                     (2, Account(nonce: 3, balance: RPCFixture.oneEther))]
            $0[RPCFixture.contract] = [(1, Account(nonce: 0, balance: .zero,
                                                   storageRoot: Keccak256.hash(Array("contract storage".utf8))))]
        }
        storageSlots.withLock {
            $0[RPCFixture.contract] = [(0, [:]),
                                       (1, [RPCFixture.slot(0): RPCFixture.slot0Value, RPCFixture.slot(1): RPCFixture.slot1Value])]
        }
    }

    /// Fills the chain with `count` empty blocks after the fixture's three (no notifications).
    convenience init(emptyBlocksAfterFixture count: Int) {
        self.init()
        for _ in 0..<count { appendBlock(notify: false) }
    }

    private func store(_ block: Block, receipts: [Receipt]) {
        chainData.withLock { data in
            data.canonical.append(block)
            data.byHash[block.hash] = block
            data.receipts[block.hash] = receipts
            for (index, tx) in block.transactions.enumerated() {
                data.locations[tx.hash] = TransactionLocation(blockHash: block.hash, blockNumber: block.number, index: index)
            }
        }
    }

    // MARK: Test controls

    func block(_ number: UInt64) -> Block { chainData.withLock { $0.canonical[Int(number)] } }
    var head: Block { chainData.withLock { $0.canonical.last! } }
    var updateSubscribers: Int { updateSinks.withLock { $0.count } }
    var pendingSubscribers: Int { pendingSinks.withLock { $0.count } }

    /// Appends a block on the head, stores it as canonical and (unless `notify` is false) tells `updates()` streams.
    @discardableResult
    func appendBlock(transactions: [Transaction] = [], receipts: [Receipt] = [], removed: [Block] = [],
                     notify: Bool = true) -> Block {
        let parent = head
        let block = RPCFixture.block(number: parent.number + 1, parent: parent.hash, transactions: transactions,
                                     receipts: receipts)
        store(block, receipts: receipts)
        if notify {
            let update = ChainUpdate(block: block, receipts: receipts, removed: removed)
            for sink in updateSinks.withLock({ Array($0.values) }) { sink.yield(update) }
        }
        return block
    }

    /// Ends every `updates()` stream.
    func finishUpdates() {
        for sink in updateSinks.withLock({ Array($0.values) }) { sink.finish() }
    }

    // MARK: ChainQueries

    var chainId: UInt64 { RPCFixture.chainId }

    func headHeader() throws -> BlockHeader { head.header }

    func header(_ tag: BlockTag) async throws -> BlockHeader? {
        switch tag {
        case .latest, .pending, .safe, .finalized: return head.header
        case .earliest: return block(0).header
        case .number(let number):
            return chainData.withLock { data in data.canonical.indices.contains(Int(clamping: number)) ? data.canonical[Int(number)].header : nil }
        case .hash(let hash): return chainData.withLock { $0.byHash[hash]?.header }
        }
    }

    func header(hash: Hash32) async throws -> BlockHeader? { chainData.withLock { $0.byHash[hash]?.header } }
    func block(hash: Hash32) async throws -> Block? { chainData.withLock { $0.byHash[hash] } }
    func receipts(blockHash: Hash32) async throws -> [Receipt]? { chainData.withLock { $0.receipts[blockHash] } }
    func transactionLocation(_ hash: Hash32) async throws -> TransactionLocation? { chainData.withLock { $0.locations[hash] } }

    func updates() async -> AsyncStream<ChainUpdate> {
        if let updatesDelay { try? await Task.sleep(for: updatesDelay) }
        let (stream, continuation) = AsyncStream<ChainUpdate>.makeStream()
        let id = UUID()
        updateSinks.withLock { $0[id] = continuation }
        continuation.onTermination = { [updateSinks] _ in updateSinks.withLock { _ = $0.removeValue(forKey: id) } }
        return stream
    }

    // MARK: StateQueries

    func account(_ address: Address, at header: BlockHeader) async throws -> Account {
        if address == RPCFixture.failingAddress { throw RPCFakeFailure() }
        if address == RPCFixture.limitedAddress { throw RPCFakeLimitError() }
        return accounts.withLock { $0[address]?.last { $0.from <= header.number }?.account } ?? .empty
    }

    func storage(_ address: Address, _ key: Hash32, at header: BlockHeader) async throws -> [UInt8] {
        storageSlots.withLock { $0[address]?.last { $0.from <= header.number }?.slots[key] } ?? []
    }

    func proof(_ address: Address, slots: [Hash32], at header: BlockHeader) async throws -> AccountProof {
        let account = try await account(address, at: header)
        var storageProofs: [AccountProof.StorageProof] = []
        for slot in slots {
            storageProofs.append(AccountProof.StorageProof(key: slot, value: try await storage(address, slot, at: header),
                                                           proof: [[0xe2, 0xa0] + slot.bytes]))
        }
        return AccountProof(address: address, accountProof: [[0xf8, 0x51, 0x80], [0xf8, 0x69, UInt8(header.number)]],
                            account: account, storageProofs: storageProofs)
    }

    func call(_ request: CallRequest, at header: BlockHeader) async throws -> CallOutcome {
        lastCall.withLock { $0 = (request, header.number) }
        guard request.to == RPCFixture.contract else {
            return CallOutcome(succeeded: true, output: [], gasUsed: 0, logs: [], error: nil)
        }
        switch Array(request.data.prefix(4)) {
        case RPCFixture.selectorOK:
            return CallOutcome(succeeded: true, output: RPCFixture.okOutput, gasUsed: RPCFixture.okGas, logs: [], error: nil)
        case RPCFixture.selectorRevert:
            return CallOutcome(succeeded: false, output: ABI.encodeRevert(RPCFixture.revertReason), gasUsed: 1_200, logs: [],
                               error: .revert(RPCFixture.revertReason))
        case RPCFixture.selectorOutOfGas:
            return CallOutcome(succeeded: false, output: [], gasUsed: request.gas ?? 0, logs: [],
                               error: .outOfGas(limit: request.gas ?? 0))
        case RPCFixture.selectorCustomError:
            return CallOutcome(succeeded: false, output: RPCFixture.customErrorData, gasUsed: 800, logs: [],
                               error: .revert("custom"))
        default:
            return CallOutcome(succeeded: false, output: ABI.encodeRevert("unknown selector"), gasUsed: 0, logs: [],
                               error: .revert("unknown selector"))
        }
    }

    func isSystemContract(_ address: Address) -> Bool { address == RPCFixture.contract || address == RPCFixture.contract2 }

    // MARK: TransactionSubmitter

    /// Decodes like the real backend; refuses duplicates ("already known"), stale nonces ("nonce too low") and other
    /// chains; a nonce gap goes to the queue.
    func submit(_ raw: [UInt8]) async throws -> Hash32 {
        let tx: Transaction
        do { tx = try Transaction(raw: raw) } catch { throw RPCError.server(error.description) }
        let recovered: RecoveredTransaction
        do { recovered = try tx.recovered() } catch { throw RPCError.server(error.description) }
        guard tx.chainId == chainId else { throw RPCError.server("invalid chain id") }
        let chainNonce = try await account(recovered.sender, at: head.header).nonce
        try pool.withLock { pool in
            guard pool.byHash[tx.hash] == nil else { throw RPCError.server("already known") }
            guard tx.nonce >= chainNonce else { throw RPCError.server("nonce too low") }
            let next = chainNonce + UInt64(pool.pending[recovered.sender]?.count ?? 0)
            if tx.nonce == next {
                pool.pending[recovered.sender, default: []].append(recovered)
            } else {
                pool.queued[recovered.sender, default: []].append(recovered)
            }
            pool.byHash[tx.hash] = recovered
        }
        for sink in pendingSinks.withLock({ Array($0.values) }) { sink.yield(tx.hash) }
        return tx.hash
    }

    func pendingTransaction(_ hash: Hash32) async -> RecoveredTransaction? { pool.withLock { $0.byHash[hash] } }

    func nextNonce(_ address: Address) async -> UInt64 {
        let chainNonce = (try? await account(address, at: head.header).nonce) ?? 0
        return chainNonce + UInt64(pool.withLock { $0.pending[address]?.count ?? 0 })
    }

    func poolStatus() async -> (pending: Int, queued: Int) {
        pool.withLock { pool in (pool.pending.values.reduce(0) { $0 + $1.count }, pool.queued.values.reduce(0) { $0 + $1.count }) }
    }

    func poolContent() async -> (pending: [Address: [RecoveredTransaction]], queued: [Address: [RecoveredTransaction]]) {
        pool.withLock { ($0.pending, $0.queued) }
    }

    func pendingHashes() async -> AsyncStream<Hash32> {
        let (stream, continuation) = AsyncStream<Hash32>.makeStream()
        let id = UUID()
        pendingSinks.withLock { $0[id] = continuation }
        continuation.onTermination = { [pendingSinks] _ in pendingSinks.withLock { _ = $0.removeValue(forKey: id) } }
        return stream
    }

    /// `perm_` answers, kept with the fake so a harness's calls see one list.
    let permissions = RPCFakePermissions()

    // MARK: NodeQueries

    var clientVersion: String { "sankofa/v0.1.0-test/linux-x86_64/swift6" }
    var mode: String { "validator" }
    var tier: String { "core" }
    var enode: String { "enode://" + String(repeating: "ab", count: 64) + "@127.0.0.1:30303" }
    var peerCount: Int { 3 }
    var minGasPrice: UInt256 { UInt256(1_000) }
    /// What `eth_syncing` reports; nil: not syncing.
    let sync = RPCLocked<SyncStatus?>(nil)
    func syncStatus() async -> SyncStatus? { sync.current }
    /// What `sankofa_nodeInfo` shows of a hot-standby lease; nil: no lease.
    let lease = RPCLocked<ValidatorLeaseInfo?>(nil)
    func validatorLease() async -> ValidatorLeaseInfo? { lease.current }

    // MARK: ConsensusAdmin

    var consensusName: String { "clique" }

    /// Genesis has one signer; signer B was voted in at block 1.
    func signers(at header: BlockHeader) async throws -> [Address] {
        header.number == 0 ? [RPCFixture.signerA] : [RPCFixture.signerA, RPCFixture.signerB]
    }

    func propose(_ address: Address, authorize: Bool) async { proposalVotes.withLock { $0[address] = authorize } }
    func discard(_ address: Address) async { proposalVotes.withLock { _ = $0.removeValue(forKey: address) } }
    func proposals() async -> [Address: Bool] { proposalVotes.current }

    // MARK: HealthProvider

    /// The last readiness thresholds asked for.
    let lastReadinessCheck = RPCLocked<ReadinessCheck?>(nil)
    func isReady(_ check: ReadinessCheck) async -> Bool {
        lastReadinessCheck.withLock { $0 = check }
        return ready.current
    }
}

/// A connection that records what the server pushes (a WebSocket connection, minus the socket).
final class RPCFakeNotifier: RPCNotifier {
    let messages = RPCLocked([JSON]())
    let closeActions = RPCLocked([@Sendable () -> Void]())
    /// Once false, `send` reports the connection closed.
    let open = RPCLocked(true)

    func send(_ message: JSON) async -> Bool {
        guard open.current else { return false }
        messages.withLock { $0.append(message) }
        return true
    }

    func onClose(_ action: @escaping @Sendable () -> Void) { closeActions.withLock { $0.append(action) } }

    /// Simulates the peer hanging up.
    func close() {
        open.withLock { $0 = false }
        for action in closeActions.withLock({ $0 }) { action() }
    }

    var received: [JSON] { messages.current }
}
