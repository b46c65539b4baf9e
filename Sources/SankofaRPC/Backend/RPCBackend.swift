import SankofaChain
import SankofaContracts
import SankofaPrimitives
import SankofaState

/// A canonical-chain change as subscribers see it.
public struct ChainUpdate: Sendable {
    public let block: Block
    public let receipts: [Receipt]
    /// Blocks that left the canonical chain (their logs are re-sent with `removed: true`).
    public let removed: [Block]

    public init(block: Block, receipts: [Receipt], removed: [Block]) {
        self.block = block
        self.receipts = receipts
        self.removed = removed
    }
}

extension AsyncStream where Element == ChainUpdate {
    /// The updates `update` makes of `source`'s events, bounded like the events it relays: a subscriber that stops
    /// reading loses its oldest updates; it does not hold every block (and its receipts) since.
    public static func relaying<Event: Sendable>(_ source: AsyncStream<Event>,
                                                 _ update: @escaping @Sendable (Event) -> ChainUpdate) -> AsyncStream<ChainUpdate> {
        AsyncStream(bufferingPolicy: .bufferingNewest(256)) { continuation in
            let task = Task {
                for await event in source { continuation.yield(update(event)) }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// Blocks, receipts and lookups: what `eth_getBlock*`, receipts, logs and filters read.
public protocol ChainQueries: Sendable {
    var chainId: UInt64 { get }
    /// The head, read without suspending: `eth_blockNumber` answers from it on the connection's event loop.
    func headHeader() throws -> BlockHeader
    /// Resolves a tag or number to a canonical header (`pending` reads as `latest`; `safe`/`finalized` as the
    /// finalized head, which for Clique is the head).
    func header(_ tag: BlockTag) async throws -> BlockHeader?
    func header(hash: Hash32) async throws -> BlockHeader?
    func block(hash: Hash32) async throws -> Block?
    func receipts(blockHash: Hash32) async throws -> [Receipt]?
    func transactionLocation(_ hash: Hash32) async throws -> TransactionLocation?
    /// Canonical changes as they happen.
    func updates() async -> AsyncStream<ChainUpdate>
    /// The senders of a block's transactions, in order. Recovery is the expensive part of serving full blocks, so
    /// backends should cache it; the default recovers every time.
    func senders(of block: Block) async throws -> [Address]
    /// Why `logs` subscriptions are refused here, or nil when `updates()` carries every block's transactions and
    /// receipts (a light node's updates carry headers only).
    var logSubscriptionRefusal: String? { get }
}

extension ChainQueries {
    public var logSubscriptionRefusal: String? { nil }

    public func senders(of block: Block) async throws -> [Address] {
        try block.transactions.map { try $0.recoverSender() }
    }

    /// The sender of one transaction of `block`.
    public func sender(of block: Block, at index: Int) async throws -> Address {
        let all = try await senders(of: block)
        guard all.indices.contains(index) else { throw RPCError.internalError("transaction index out of range") }
        return all[index]
    }
}

/// A simulated call's inputs (`eth_call`, `eth_estimateGas`).
public struct CallRequest: Sendable {
    public var from: Address
    public var to: Address?
    public var data: [UInt8]
    public var value: UInt256
    public var gas: UInt64?
    /// EIP-2930 access list; it costs intrinsic gas but does not change what a system contract reads.
    public var accessList: AccessList

    public init(from: Address, to: Address?, data: [UInt8], value: UInt256, gas: UInt64?, accessList: AccessList = []) {
        self.from = from
        self.to = to
        self.data = data
        self.value = value
        self.gas = gas
        self.accessList = accessList
    }
}

/// State at any kept block: accounts, storage, proofs and simulated calls.
public protocol StateQueries: Sendable {
    func account(_ address: Address, at header: BlockHeader) async throws -> Account
    func storage(_ address: Address, _ key: Hash32, at header: BlockHeader) async throws -> [UInt8]
    func proof(_ address: Address, slots: [Hash32], at header: BlockHeader) async throws -> AccountProof
    /// Runs a call against the state of `header` without keeping any change; state-changing functions run too
    /// (as on geth), only the result is returned.
    func call(_ request: CallRequest, at header: BlockHeader) async throws -> CallOutcome
    func isSystemContract(_ address: Address) -> Bool
}

/// The pool: submission and pending views.
public protocol TransactionSubmitter: Sendable {
    func submit(_ raw: [UInt8]) async throws -> Hash32
    func pendingTransaction(_ hash: Hash32) async -> RecoveredTransaction?
    /// The nonce the sender's next transaction should carry (a light node: its proven nonce at the head).
    func nextNonce(_ address: Address) async throws -> UInt64
    func poolStatus() async -> (pending: Int, queued: Int)
    func poolContent() async -> (pending: [Address: [RecoveredTransaction]], queued: [Address: [RecoveredTransaction]])
    func pendingHashes() async -> AsyncStream<Hash32>
}

/// About this node (net_, admin_, sankofa_ namespaces).
public protocol NodeQueries: Sendable {
    var clientVersion: String { get }
    var mode: String { get }
    var tier: String { get }
    var enode: String { get }
    var peerCount: Int { get }
    var minGasPrice: UInt256 { get }
    /// Where a running chain sync stands, or nil when the node is following the head (`eth_syncing`).
    func syncStatus() async -> SyncStatus?
    /// The hot-standby lease (`--validator-lease-*`), or nil when this node signs without one.
    func validatorLease() async -> ValidatorLeaseInfo?
}

extension NodeQueries {
    public func validatorLease() async -> ValidatorLeaseInfo? { nil }
}

/// A hot-standby member's lease as `sankofa_nodeInfo` shows it.
public struct ValidatorLeaseInfo: Sendable, Equatable {
    /// `active` (holds the lease and signs) or `standby` (follows as a replica).
    public var role: String
    public var key: String
    /// The etcd lease id while active, else 0.
    public var leaseId: Int64
    public var secondsLeft: Double
    /// Who the key names (the active member), when known.
    public var holder: String?
    /// Why the role last changed.
    public var reason: String

    public init(role: String, key: String, leaseId: Int64, secondsLeft: Double, holder: String?, reason: String) {
        self.role = role
        self.key = key
        self.leaseId = leaseId
        self.secondsLeft = secondsLeft
        self.holder = holder
        self.reason = reason
    }
}

/// `eth_syncing`'s answer while a sync runs.
public struct SyncStatus: Sendable, Equatable {
    public var startingBlock: UInt64
    public var currentBlock: UInt64
    public var highestBlock: UInt64

    public init(startingBlock: UInt64, currentBlock: UInt64, highestBlock: UInt64) {
        self.startingBlock = startingBlock
        self.currentBlock = currentBlock
        self.highestBlock = highestBlock
    }
}

/// Clique administration (clique_ namespace).
public protocol ConsensusAdmin: Sendable {
    var consensusName: String { get }
    func signers(at header: BlockHeader) async throws -> [Address]
    func propose(_ address: Address, authorize: Bool) async
    func discard(_ address: Address) async
    func proposals() async -> [Address: Bool]
    /// Who sealed (Clique) or proposed (QBFT) `header`.
    func author(of header: BlockHeader) async throws -> Address
    /// Why validator votes (`propose`) are refused on this network, or nil when they are taken (QBFT contract
    /// mode refuses them: the Governance contract decides the set).
    var validatorVotesRefusal: String? { get }
}

extension ConsensusAdmin {
    public var validatorVotesRefusal: String? { nil }

    /// The coinbase: the proposer of a QBFT block (Besu), and a fine stand-in where nothing better is known.
    public func author(of header: BlockHeader) async throws -> Address { header.coinbase }
}

/// Everything the namespaces read through; the node supplies a full backend.
public struct RPCBackend: Sendable {
    public let chain: any ChainQueries
    public let state: any StateQueries
    public let pool: any TransactionSubmitter
    public let node: any NodeQueries
    public let consensus: any ConsensusAdmin
    /// Peers (`admin_`, `net_`); none on the dev chain.
    public let peers: any PeerAdmin
    /// Allow-lists (`perm_`); off unless configured.
    public let permissions: any PermissioningAdmin

    public init(chain: any ChainQueries, state: any StateQueries, pool: any TransactionSubmitter, node: any NodeQueries,
                consensus: any ConsensusAdmin, peers: any PeerAdmin = NoPeerAdmin(),
                permissions: any PermissioningAdmin = NoPermissioning()) {
        self.chain = chain
        self.state = state
        self.pool = pool
        self.node = node
        self.consensus = consensus
        self.peers = peers
        self.permissions = permissions
    }
}
